// A read replica kept by Xapian's own replication (xapian-replicate-server on the primary's
// folder, xapian-replicate beside the server): a server on the replica sees what the indexer
// commits to the primary within seconds (docs/operations.md, "A read replica").
#include <gtest/gtest.h>
#include <stdlib.h>

#include "archive/index/audience_databases.h"
#include "archive/searcher.h"
#include "server_test_support.h"
#include "test_index.h"
#include "xapian_servers.h"

namespace mediateka {
namespace {

using namespace test;

std::size_t items_in(const fs::path& db) {
  try {
    return Searcher({db.string()}, Vocabulary()).item_count();
  } catch (const std::exception&) {
    return 0;  // not there yet
  }
}

TEST(ServerReplica, FollowsThePrimaryWithinSeconds) {
  if (system("command -v xapian-replicate-server >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "xapian-replicate-server (package xapian-tools) is not installed";
  }
  TemporaryFolder folder("mediateka-replica-", FolderPath::canonical);
  // An archive's public database is replicated like any Xapian database (a group's the same way:
  // docs/operations.md); the replica is an archive folder holding it.
  const fs::path primary = folder.path() / "primary" / "index";
  const fs::path replica = folder.path() / "replica";
  fs::create_directories(replica);
  // The primary keeps changesets, so that the replica gets changes rather than copies.
  setenv("XAPIAN_MAX_CHANGESETS", "10", 1);
  write_index(
      primary,
      {make_item("a1", ItemType::publication, "Poradnik wolontariusza", 2012, {"Wolontariat"}),
       make_item("a2", ItemType::bulletin, "Biuletyn 1/2013", 2013, {"Ekonomia społeczna"})});

  const int port = free_port();
  SessionProcess master({"xapian-replicate-server", "-I", "127.0.0.1", "-p", std::to_string(port),
                         (folder.path() / "primary").string()});
  wait_until_accepting(port);
  SessionProcess follower({"xapian-replicate", "-h", "127.0.0.1", "-p", std::to_string(port), "-m",
                           "index/public", "-i", "1", "-r", "0", "-q",
                           public_database(replica.string())});
  for (int attempt = 0; attempt < 200 && items_in(replica) < 2; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(items_in(replica), 2u);

  ServerProcess server(replica);
  const int server_port = server.wait_until_listening();
  ASSERT_GT(server_port, 0);
  EXPECT_EQ(get(server_port, "/api/search").json_body()["total"], 2);

  // An import on the primary: new items, and a changed one.
  const auto committed = std::chrono::steady_clock::now();
  Item changed =
      make_item("a2", ItemType::bulletin, "Biuletyn 2/2013", 2013, {"Ekonomia społeczna"});
  write_index(primary,
              {make_item("a3", ItemType::radio, "Audycja o seniorach", 2014, {"Wolontariat"}),
               make_item("a4", ItemType::tv, "Reportaż z klubu", 2015, {"Wolontariat"}), changed});
  nlohmann::json body;
  for (int attempt = 0; attempt < 300; ++attempt) {
    body = get(server_port, "/api/search?q=biuletyn").json_body();
    if (get(server_port, "/api/search").json_body()["total"] == 4 && body["hits"].size() == 1 &&
        body["hits"][0]["title"] == "Biuletyn 2/2013") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto waited = std::chrono::steady_clock::now() - committed;
  EXPECT_EQ(get(server_port, "/api/search").json_body()["total"], 4);
  ASSERT_EQ(body["hits"].size(), 1u) << body.dump();
  EXPECT_EQ(body["hits"][0]["title"], "Biuletyn 2/2013");
  EXPECT_LT(waited, std::chrono::seconds(10));
  EXPECT_EQ(get(server_port, "/api/items/a3").status, 200);
  std::cerr << "the replica's server saw the import after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count() << " ms\n";
}

}  // namespace
}  // namespace mediateka
