// Searching several shards at once, one of them remote (xapian-tcpsrv on 127.0.0.1).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "index_writer.h"
#include "searcher.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

Item item(const std::string& file, ItemType type, const std::string& campaign, int year,
          const std::string& text) {
  Item result;
  result.source.file = file;
  result.type = type;
  result.title = fs::path(file).stem().string();
  result.campaigns = {campaign};
  result.year = year;
  // The text on the second page: a location must name the right page of the right shard.
  result.segments.push_back(Segment{1, 0, 0, "Spis treści."});
  result.segments.push_back(Segment{2, 0, 0, text});
  return result;
}

class Shards : public ::testing::Test {
 protected:
  void SetUp() override {
    if (system("command -v xapian-tcpsrv >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "xapian-tcpsrv (package xapian-tools) is not installed";
    }
    root_ =
        fs::temp_directory_path() / ("mediateka-shards-" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    {
      IndexWriter local((root_ / "local").string());
      for (Item i : {item("/a/raport.pdf", ItemType::publication, "Wolontariat", 2012,
                          "Wolontariusze pomagają rodzinom."),
                     item("/a/biuletyn.pdf", ItemType::bulletin, "Ekonomia społeczna", 2013,
                          "Spółdzielnie socjalne na Mazowszu.")}) {
        local.put(i);
      }
      local.commit();
      IndexWriter remote((root_ / "remote").string());
      for (Item i :
           {item("/b/audycja.pdf", ItemType::publication, "Wolontariat", 2014,
                 "Rozmowa z wolontariuszami o pomocy rodzinom."),
            item("/b/film.pdf", ItemType::publication, "Wolontariat", 2014, "Film bez związku.")}) {
        remote.put(i);
      }
      remote.commit();
    }
    int port = free_port();
    server_ = fork();
    if (server_ == 0) {
      // xapian-tcpsrv signals its whole process group when it stops: give it its own.
      setpgid(0, 0);
      std::string port_text = std::to_string(port);
      std::string db = (root_ / "remote").string();
      execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
             port_text.c_str(), "--quiet", db.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::ofstream(root_ / "archive.stub") << "auto " << (root_ / "local").string() << "\n"
                                          << "remote 127.0.0.1:" << port << "\n";
    // Wait until the server accepts connections.
    for (int attempt = 0; attempt < 100; ++attempt) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<uint16_t>(port));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      bool up = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      close(fd);
      if (up) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  void TearDown() override {
    if (server_ > 0) {
      kill(-server_, SIGTERM);
      waitpid(server_, nullptr, 0);
    }
    if (!root_.empty()) fs::remove_all(root_);
  }

  fs::path root_;
  pid_t server_ = -1;
};

TEST_F(Shards, LocalAndRemoteShardsSearchAsOneArchive) {
  Vocabulary vocabulary;
  Searcher searcher({(root_ / "archive.stub").string()}, vocabulary);
  EXPECT_EQ(searcher.item_count(), 4u);

  SearchResult all = searcher.search({});
  EXPECT_EQ(all.total, 4u);
  auto count = [](const std::vector<FacetValue>& values, const std::string& value) {
    for (const FacetValue& facet : values) {
      if (facet.value == value) return facet.count;
    }
    return std::size_t{0};
  };
  EXPECT_EQ(count(all.facets.campaign, "Wolontariat"), 3u);
  EXPECT_EQ(count(all.facets.type, "publication"), 3u);
  EXPECT_EQ(count(all.facets.year, "2014"), 2u);

  SearchRequest request;
  request.q = "wolontariusz rodzina";
  SearchResult found = searcher.search(request);
  ASSERT_EQ(found.total, 2u);
  for (const Hit& hit : found.hits) {
    ASSERT_FALSE(hit.locations.empty()) << hit.item.title;
    EXPECT_EQ(hit.locations[0].page, 2);
    EXPECT_FALSE(hit.snippet.marks.empty());
  }
  std::string remote_id =
      found.hits[0].item.title == "audycja" ? found.hits[0].item.id : found.hits[1].item.id;
  ASSERT_TRUE(searcher.item_by_id(remote_id));
  EXPECT_EQ(searcher.item_by_id(remote_id)->title, "audycja");
}

}  // namespace
}  // namespace mediateka
