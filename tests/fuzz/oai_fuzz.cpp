// libFuzzer target: the OAI-PMH arguments (search-server/harvest/oai.cpp: verbs, identifiers,
// from/until datestamps, sets, resumption tokens), through handle_request over a small temporary
// index made once per process. The first byte chooses how the rest is sent: 0 as the GET query
// string, 1 as a POST form, 2 hex-encoded as a ListRecords resumption token (so that the JSON
// inside a token is reached). Every answer must be a 200 OAI-PMH document (protocol errors are
// inside it) or a 400 for a query string that is not UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "api/routes.h"
#include "archive/index_writer.h"
#include "archive/search/shard_source.h"
#include "authorization.h"
#include "http/request_metrics.h"
#include "index_readers.h"

namespace server = mediateka::server;

namespace {

char oai_folder[] = "/tmp/mediateka-fuzz-XXXXXX";

std::string oai_index() {
  if (!mkdtemp(oai_folder)) std::abort();
  std::atexit([] { std::filesystem::remove_all(oai_folder); });
  const std::string db = std::string(oai_folder) + "/db";
  mediateka::IndexWriter writer(db);
  for (int n = 1; n <= 3; ++n) {
    mediateka::Item item;
    item.id = "item" + std::to_string(n);
    item.type = n == 2 ? mediateka::ItemType::radio : mediateka::ItemType::publication;
    item.title = "Materiał " + std::to_string(n);
    if (n != 3) item.campaigns = {"Aktywna integracja"};
    item.year = 2010 + n;
    item.source.checksum = "c" + std::to_string(n);
    writer.put(item);
  }
  writer.commit();
  writer.remove("item3");  // a deleted record
  writer.commit();
  return db;
}

struct OaiFixture {
  std::string db = oai_index();
  server::IndexReaders index{mediateka::local_shards({db}), {}, mediateka::Vocabulary(), 0};
  server::RequestMetrics metrics;
  server::Authorizer authorizer{db};
  server::ServerContext context{
      index, metrics, std::string(oai_folder), authorizer, {}, {}, {}, 256u << 20, {}};
};

std::string hex(const std::string& bytes) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static OaiFixture fixture;
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  server::Response response;
  switch (data[0] % 3) {
    case 0:
      response = server::handle_request("GET", "/oai?" + rest, fixture.context);
      break;
    case 1:
      response = server::handle_request("POST", "/oai", fixture.context, {}, rest);
      break;
    default:
      response = server::handle_request("GET", "/oai?verb=ListRecords&resumptionToken=" + hex(rest),
                                        fixture.context);
  }
  if (response.status == 200) {
    if (response.body.rfind("<?xml", 0) != 0 ||
        response.body.find("</OAI-PMH>") == std::string::npos)
      __builtin_trap();
  } else if (response.status != 400) {
    __builtin_trap();  // a 500: an exception escaped the OAI code
  }
  return 0;
}
