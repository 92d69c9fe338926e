// Restricted materials in the core: group names, audiences, and access tokens stored as hashes.
#include <gtest/gtest.h>
#include <xapian.h>

#include <stdexcept>

#include "archive/access/access.h"
#include "archive/access/access_tokens.h"
#include "archive/index/audience_databases.h"
#include "archive/index_writer.h"
#include "test_files.h"

namespace mediateka {
namespace {

TEST(Access, GroupNamesAndAudiences) {
  EXPECT_TRUE(is_valid_group_name("liderzy-kooperacji"));
  EXPECT_TRUE(is_valid_group_name("rops_olsztyn2"));
  EXPECT_FALSE(is_valid_group_name(""));
  EXPECT_FALSE(is_valid_group_name("Liderzy"));
  EXPECT_FALSE(is_valid_group_name("a b"));
  EXPECT_FALSE(is_valid_group_name(std::string(65, 'a')));
  EXPECT_EQ(parse_access({" Liderzy-Kooperacji ", "liderzy-kooperacji", "rops"}),
            (std::vector<std::string>{"liderzy-kooperacji", "rops"}));
  EXPECT_TRUE(parse_access({"public"}).empty());
  EXPECT_TRUE(parse_access({""}).empty());
  EXPECT_THROW(parse_access({"public", "rops"}), std::invalid_argument);
  EXPECT_THROW(parse_access({"zła"}), std::invalid_argument);

  const Audience anonymous;
  const Audience partner{{"liderzy-kooperacji"}};
  EXPECT_TRUE(anonymous.sees({}));
  EXPECT_FALSE(anonymous.sees({"liderzy-kooperacji"}));
  EXPECT_TRUE(partner.sees({}));
  EXPECT_TRUE(partner.sees({"rops", "liderzy-kooperacji"}));
  EXPECT_FALSE(partner.sees({"rops"}));
}

class AccessTokens : public ::testing::Test {
 protected:
  void SetUp() override { IndexWriter{db()}; }  // an empty index
  std::string db() const { return (dir.path() / "db").string(); }
  test::TemporaryFolder dir{"archive_access_test."};
  static constexpr std::int64_t kNow = 1'800'000'000;  // 2027-01-15
};

TEST_F(AccessTokens, CreateVerifyRevoke) {
  const NewToken made =
      create_token(db(), {"liderzy-kooperacji", "rops"}, "Gmina Wyszków", "", kNow);
  EXPECT_EQ(made.record.id.size(), 12u);
  EXPECT_EQ(made.token.rfind("mtk_" + made.record.id + "_", 0), 0u);
  EXPECT_GE(made.token.size(), 4 + 12 + 1 + 43u);  // 256 random bits in base64url

  // Only a hash is stored: the secret is nowhere in the index's metadata.
  const std::string secret = made.token.substr(17);
  Xapian::Database database(public_database(db()));
  for (auto key = database.metadata_keys_begin(); key != database.metadata_keys_end(); ++key)
    EXPECT_EQ(database.get_metadata(*key).find(secret), std::string::npos);

  TokenVerifier verifier;
  verifier.load(db());
  const auto checked = verifier.verify(made.token, kNow);
  ASSERT_TRUE(checked);
  EXPECT_EQ(checked->groups, (std::vector<std::string>{"liderzy-kooperacji", "rops"}));
  EXPECT_EQ(checked->label, "Gmina Wyszków");

  // A wrong secret, a wrong id, a truncated or foreign token: nothing.
  std::string wrong = made.token;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {wrong, std::string("mtk_000000000000_") + secret,
        made.token.substr(0, made.token.size() - 1), std::string("x"), std::string(), secret})
    EXPECT_FALSE(verifier.verify(bad, kNow)) << bad;

  const std::vector<AccessToken> listed = list_tokens(db());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, made.record.id);
  EXPECT_EQ(listed[0].created, kNow);

  EXPECT_TRUE(revoke_token(db(), made.record.id));
  EXPECT_FALSE(revoke_token(db(), made.record.id));
  verifier.load(db());
  EXPECT_FALSE(verifier.verify(made.token, kNow));
  EXPECT_TRUE(list_tokens(db()).empty());
}

TEST_F(AccessTokens, ExpiresAfterItsLastDay) {
  const NewToken made = create_token(db(), {"rops"}, "ROPS Olsztyn", "2027-01-15", kNow);
  TokenVerifier verifier;
  verifier.load(db());
  EXPECT_TRUE(verifier.verify(made.token, kNow));
  // 2027-01-15T23:59:59Z is still that day; 2027-01-16T00:00:00Z is not.
  EXPECT_TRUE(verifier.verify(made.token, 1'800'057'599));
  EXPECT_FALSE(verifier.verify(made.token, 1'800'057'600));
}

TEST_F(AccessTokens, BadRequestsAreRefused) {
  EXPECT_THROW(create_token(db(), {}, "label", "", kNow), TokenError);
  EXPECT_THROW(create_token(db(), {"Zła"}, "label", "", kNow), TokenError);
  EXPECT_THROW(create_token(db(), {"rops"}, "", "", kNow), TokenError);
  EXPECT_THROW(create_token(db(), {"rops"}, "label", "2027-02-30", kNow), TokenError);
  EXPECT_THROW(create_token(db(), {"rops"}, "label", "15.01.2027", kNow), TokenError);
  EXPECT_THROW(create_token((dir.path() / "none").string(), {"rops"}, "label", "", kNow),
               TokenError);
}

}  // namespace
}  // namespace mediateka
