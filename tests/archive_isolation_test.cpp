// Items moving between audiences (archive/index/audience_databases.h): an item made restricted is
// gone for outsiders — from hits, spelling corrections and completions, a deleted record for
// harvesters and 410 for its links, as a removed item — and stays so when it changes again; made
// public, it is back with its id and slug. Slugs of restricted items never push a public item's.
// Items of the same date sort alike in one index and in shards.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "archive/index/audience_databases.h"
#include "archive/index_writer.h"
#include "archive/searcher.h"
#include "test_files.h"

namespace mediateka {
namespace {

Item leaflet(const std::string& id, const std::string& title, const std::string& text,
             std::vector<std::string> access = {}, const std::string& date = "2014-05-01") {
  Item item;
  item.id = id;
  item.type = ItemType::publication;
  item.title = title;
  item.year = std::stoi(date.substr(0, 4));
  item.date = date;
  item.source.path = id + ".pdf";
  item.source.file = "/archiwum/" + id + ".pdf";
  item.segments = {{1, 0, 0, text}};
  item.access = std::move(access);
  return item;
}

class AudienceIsolation : public ::testing::Test {
 protected:
  void put(Item item) {
    IndexWriter writer(db());
    writer.put(item);
    writer.commit();
  }
  std::string db() const { return (folder_.path() / "index").string(); }
  SearchResult search(const std::string& q, const Audience& audience = {}) {
    SearchRequest request;
    request.q = q;
    request.audience = audience;
    return Searcher({db()}, Vocabulary{}).search(request);
  }
  ChangePage changes(const Audience& audience = {}) {
    return Searcher({db()}, Vocabulary{}).changes(ChangeRequest{}, audience);
  }
  static std::vector<std::string> ids(const SearchResult& result) {
    std::vector<std::string> found;
    for (const Hit& hit : result.hits) found.push_back(hit.item.id);
    return found;
  }

  test::TemporaryFolder folder_{"archive_isolation_test."};
  const Audience group_a_{{"grupa-a"}};
};

TEST_F(AudienceIsolation, AnItemMadeRestrictedIsGoneForOutsidersAsIfRemoved) {
  put(leaflet("ulotka", "Spółdzielnie socjalne", "Spółdzielnie socjalne w gminie."));
  put(leaflet("inna", "Ekonomia", "Ekonomia społeczna w powiecie."));
  ASSERT_TRUE(search("spoldzelnie").suggestion);

  put(leaflet("ulotka", "Spółdzielnie socjalne", "Spółdzielnie socjalne w gminie.", {"grupa-a"}));
  EXPECT_EQ(search("spółdzielnie").total, 0u);
  EXPECT_FALSE(search("spoldzelnie").suggestion) << "its words left the public spelling table";
  EXPECT_TRUE(Searcher({db()}, Vocabulary{}).suggest("spółd").empty());
  EXPECT_EQ(ids(search("spółdzielnie", group_a_)), std::vector<std::string>{"ulotka"});
  EXPECT_TRUE(Searcher({db()}, Vocabulary{}).is_gone("ulotka"));
  EXPECT_TRUE(Searcher({db()}, Vocabulary{}).is_gone("spoldzielnie-socjalne"));
  EXPECT_FALSE(Searcher({db()}, Vocabulary{}).is_gone("ulotka", group_a_));
  EXPECT_FALSE(Searcher({db()}, Vocabulary{}).is_gone("nigdy-nie-bylo"));

  const auto deleted_record = [&] {
    for (const Change& change : changes().changes)
      if (change.id == "ulotka") return change.deleted;
    return false;
  };
  EXPECT_TRUE(deleted_record());
  // Changed again, still restricted: still a deleted record, as a removed item would be.
  put(leaflet("ulotka", "Spółdzielnie socjalne 2", "Spółdzielnie socjalne w gminie.", {"grupa-a"}));
  EXPECT_TRUE(deleted_record());
  // Its readers see the item, not its tombstone.
  for (const Change& change : changes(group_a_).changes) EXPECT_FALSE(change.deleted);

  // Made public again: back for everyone with its id and slug.
  put(leaflet("ulotka", "Spółdzielnie socjalne", "Spółdzielnie socjalne w gminie.", {}));
  const SearchResult back = search("spółdzielnie");
  ASSERT_EQ(ids(back), std::vector<std::string>{"ulotka"});
  EXPECT_EQ(back.hits[0].item.slug, "spoldzielnie-socjalne");
  EXPECT_FALSE(Searcher({db()}, Vocabulary{}).is_gone("ulotka"));
}

TEST_F(AudienceIsolation, ARemovedItemComesBackWithItsIdAndSlug) {
  put(leaflet("raport", "Raport roczny", "Raport o pomocy."));
  {
    IndexWriter writer(db());
    ASSERT_TRUE(writer.remove("raport"));
    writer.commit();
  }
  Searcher searcher({db()}, Vocabulary{});
  EXPECT_TRUE(searcher.is_gone("raport"));
  EXPECT_TRUE(searcher.is_gone("raport-roczny"));
  // Another item of the same title does not take the removed one's slug.
  Item other = leaflet("inny", "Raport roczny", "Inny raport.");
  {
    IndexWriter writer(db());
    writer.put(other);
    writer.commit();
  }
  EXPECT_EQ(other.slug, "raport-roczny-2");
  Item again = leaflet("raport", "Raport roczny", "Raport o pomocy.");
  {
    IndexWriter writer(db());
    writer.put(again);
    writer.commit();
  }
  EXPECT_EQ(again.slug, "raport-roczny");
  EXPECT_FALSE(Searcher({db()}, Vocabulary{}).is_gone("raport"));
}

TEST_F(AudienceIsolation, RestrictedSlugsNeverPushPublicOnes) {
  Item hidden = leaflet("tajny", "Raport z badań", "Poufne.", {"grupa-a"});
  Item shown = leaflet("jawny", "Raport z badań", "Jawne.");
  {
    IndexWriter writer(db());
    writer.put(hidden);
    writer.put(shown);
    writer.commit();
  }
  EXPECT_EQ(shown.slug, "raport-z-badan");
  EXPECT_EQ(hidden.slug, "raport-z-badan-tajny");
  EXPECT_TRUE(std::filesystem::is_directory(group_database(db(), {"grupa-a"})));
}

TEST_F(AudienceIsolation, ItemsOfTheSameDateSortByIdInOneIndexAndInShards) {
  const std::string shard_a = (folder_.path() / "a").string(),
                    shard_b = (folder_.path() / "b").string();
  std::vector<Item> items;
  for (const char* id : {"m", "c", "x", "a", "q", "f"}) items.push_back(leaflet(id, id, "Pomoc."));
  {
    IndexWriter one(db()), a(shard_a), b(shard_b);
    for (std::size_t i = 0; i < items.size(); ++i) {
      Item copy = items[i];
      one.put(copy);
      Item shard_copy = items[i];
      (i % 2 == 0 ? a : b).put(shard_copy);
    }
    one.commit();
    a.commit();
    b.commit();
  }
  for (const SortOrder sort : {SortOrder::newest, SortOrder::oldest}) {
    SearchRequest request;
    request.sort = sort;
    const std::vector<std::string> alone = ids(Searcher({db()}, Vocabulary{}).search(request));
    const std::vector<std::string> sharded =
        ids(Searcher({shard_b, shard_a}, Vocabulary{}).search(request));
    EXPECT_EQ(alone, sharded);
    std::vector<std::string> sorted = alone;
    std::sort(sorted.begin(), sorted.end());
    if (sort == SortOrder::newest) std::reverse(sorted.begin(), sorted.end());
    EXPECT_EQ(alone, sorted);
  }
}

}  // namespace
}  // namespace mediateka
