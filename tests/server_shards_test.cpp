// The server over [[shards]]: a local index, a remote one behind xapian-tcpsrv and one that is
// down, searched as one archive over HTTP; partial answers while a shard is away, and whole
// ones again when it is back.
#include <gtest/gtest.h>

#include "server_test_support.h"
#include "test_index.h"
#include "xapian_servers.h"

namespace mediateka {
namespace {

using namespace test;

std::vector<std::string> names(const nlohmann::json& body) {
  if (!body.contains("missing_shards")) return {};
  return body["missing_shards"].get<std::vector<std::string>>();
}

class ServerShards : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_xapian_tcpsrv()) GTEST_SKIP() << "xapian-tcpsrv (package xapian-tools) is missing";
    const fs::path pdf = folder_.path() / "files" / "poradnik.pdf";
    write_file(pdf, "%PDF-1.4\n% a stand-in\n%%EOF\n");
    Item local = make_item("pub1", ItemType::publication, "Poradnik pomocy", 2012, {"Wolontariat"},
                           "", {page(1, "Wstęp."), page(2, "Pomoc rodzinie.")});
    local.source.file = pdf.string();
    write_index(folder_.path() / "mazowsze", {local});
    write_index(folder_.path() / "olsztyn",
                {make_item("olsz1", ItemType::publication, "Poradnik pomocy", 2014, {"Wolontariat"},
                           "", {page(1, "Wstęp."), page(2, "Pomoc seniorom.")}),
                 make_item("olsz2", ItemType::radio, "Audycja o pomocy", 2015, {"Wolontariat"}, "",
                           {cue(10, 20, "Rozmowa o pomocy sąsiedzkiej.")})});
    write_index(folder_.path() / "rzeszow",
                {make_item("rz1", ItemType::tv, "Reportaż o pomocy", 2016, {"Wolontariat"})});
    olsztyn_ = std::make_unique<RemoteShard>((folder_.path() / "olsztyn").string());
    rzeszow_ = std::make_unique<RemoteShard>((folder_.path() / "rzeszow").string());
    rzeszow_->stop();  // down when the server starts

    const fs::path config = folder_.path() / "mediateka.toml";
    write_file(config,
               "[index]\ndb = \"mazowsze\"\n[server]\nshard_timeout_ms = 400\n"
               "[[shards]]\nname = \"mazowsze\"\ndb = \"mazowsze\"\n"
               "[[shards]]\nname = \"olsztyn\"\nremote = \"" +
                   olsztyn_->address() +
                   "\"\nurl = \"https://olsztyn.example/\"\n"
                   "[[shards]]\nname = \"rzeszow\"\nremote = \"" +
                   rzeszow_->address() + "\"\n");
    server_ = std::make_unique<ServerProcess>(folder_.path() / "mazowsze",
                                              std::vector<std::string>{}, config);
    port_ = server_->wait_until_listening();
    ASSERT_GT(port_, 0);
  }

  // The body of /api/search?q=pomoc once `missing` is what the server reports, or the last one.
  nlohmann::json search_until(const std::vector<std::string>& missing) {
    nlohmann::json body;
    for (int attempt = 0; attempt < 100; ++attempt) {
      body = get(port_, "/api/search?q=pomoc").json_body();
      if (names(body) == missing) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return body;
  }

  TemporaryFolder folder_{"mediateka-server-shards-", FolderPath::canonical};
  std::unique_ptr<RemoteShard> olsztyn_, rzeszow_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(ServerShards, SearchesEveryShardThatAnswersAndSaysWhichDoNot) {
  nlohmann::json body = get(port_, "/api/search?q=pomoc").json_body();
  EXPECT_EQ(body["total"], 3);
  EXPECT_EQ(body["partial"], true);
  EXPECT_EQ(names(body), std::vector<std::string>{"rzeszow"});
  const nlohmann::json facets = get(port_, "/api/facets").json_body();
  EXPECT_EQ(facets["total"], 3);
  EXPECT_EQ(names(facets), std::vector<std::string>{"rzeszow"});

  const HttpResponse page = get(port_, "/?q=pomoc");
  EXPECT_NE(page.body.find("Wyniki są niepełne: archiwum rzeszow nie odpowiada."),
            std::string::npos);

  // The two "Poradnik pomocy" share a slug: the later shard's is told apart.
  std::set<std::string> slugs;
  for (const auto& hit : body["hits"]) slugs.insert(hit["slug"].get<std::string>());
  EXPECT_TRUE(slugs.count("poradnik-pomocy")) << body.dump();
  EXPECT_TRUE(slugs.count("poradnik-pomocy--olsztyn")) << body.dump();
  const HttpResponse remote_page = get(port_, "/i/poradnik-pomocy--olsztyn?page=2");
  EXPECT_EQ(remote_page.status, 200);
  EXPECT_NE(remote_page.body.find("Pomoc seniorom"), std::string::npos);
  EXPECT_EQ(get(port_, "/api/items/olsz2").json_body()["title"], "Audycja o pomocy");
  const HttpResponse captions = get(port_, "/i/olsz2/captions.vtt");
  EXPECT_EQ(captions.status, 200);
  EXPECT_NE(captions.body.find("Rozmowa o pomocy sąsiedzkiej."), std::string::npos);

  // Files: a local shard's from here, a remote shard's from its centre's own server.
  EXPECT_EQ(get(port_, "/files/pub1").status, 200);
  const HttpResponse remote_file = get(port_, "/files/olsz1");
  EXPECT_EQ(remote_file.status, 302);
  EXPECT_EQ(remote_file.header("location"), "https://olsztyn.example/files/olsz1");
  EXPECT_EQ(get(port_, "/thumbs/olsz1").header("location"), "https://olsztyn.example/thumbs/olsz1");
}

TEST_F(ServerShards, AShardGoingAwayAndComingBack) {
  olsztyn_->stop();
  const auto started = std::chrono::steady_clock::now();
  nlohmann::json body = get(port_, "/api/search?q=pomoc").json_body();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  body = search_until({"olsztyn", "rzeszow"});
  EXPECT_EQ(names(body), (std::vector<std::string>{"olsztyn", "rzeszow"}));
  EXPECT_EQ(body["total"], 1);
  EXPECT_EQ(get(port_, "/healthz").status, 200);

  olsztyn_->start();
  rzeszow_->start();
  body = search_until({});
  EXPECT_FALSE(body.contains("partial")) << body.dump();
  EXPECT_EQ(body["total"], 4);
}

}  // namespace
}  // namespace mediateka
