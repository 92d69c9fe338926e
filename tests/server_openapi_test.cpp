// The OpenAPI document (search-server/openapi.json, served at /api/openapi.json) against the
// real server: every route of the route table is described, every response a probe gets has
// its status and content type described, and every field of every JSON body is described with
// its JSON type (the body is walked against the schema: $ref, type, properties,
// additionalProperties, items, oneOf, enum, const). A field the server starts to emit without
// the document fails here; so does a field the document describes that no probe ever sees.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/routes.h"
#include "archive/access/access_tokens.h"
#include "archive/index_writer.h"
#include "archive/item.h"
#include "server_test_support.h"
#include "xapian_servers.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace mediateka::test;

// --- a JSON Schema walker (the part of JSON Schema the document uses) ---------------------------

class SchemaWalker {
 public:
  explicit SchemaWalker(const json& document) : document_(document) {}

  // The schema a "#/components/..." reference names (the schema itself when it is no reference),
  // and the name under which its properties are recorded as seen.
  const json& resolve(const json& schema, std::string* name = nullptr) const {
    if (!schema.is_object() || !schema.contains("$ref")) return schema;
    const std::string ref = schema["$ref"].get<std::string>();
    if (ref.rfind("#/", 0) != 0) throw std::runtime_error("not a local reference: " + ref);
    const json* target = &document_;
    std::string rest = ref.substr(2), last;
    while (!rest.empty()) {
      const std::size_t slash = rest.find('/');
      last = rest.substr(0, slash);
      if (!target->contains(last)) throw std::runtime_error("dangling reference: " + ref);
      target = &(*target)[last];
      rest = slash == std::string::npos ? "" : rest.substr(slash + 1);
    }
    if (name) *name = last;
    return resolve(*target, name);
  }

  // Adds to `problems` what in `value` the schema does not describe, each at its JSON path.
  void walk(const json& value, const json& schema_or_ref, const std::string& path,
            const std::string& name, std::vector<std::string>& problems) {
    std::string schema_name = name;
    const json& schema = resolve(schema_or_ref, &schema_name);
    if (schema.contains("oneOf")) {
      std::vector<const json*> matching;
      for (const json& branch : schema["oneOf"]) {
        std::vector<std::string> scratch;
        SchemaWalker(document_).walk(value, branch, path, schema_name, scratch);
        if (scratch.empty()) matching.push_back(&branch);
      }
      if (matching.size() != 1) {
        problems.push_back(path + ": matches " + std::to_string(matching.size()) +
                           " of the oneOf schemas, not one: " + value.dump().substr(0, 200));
        return;
      }
      walk(value, *matching.front(), path, schema_name, problems);
      return;
    }
    if (schema.contains("type") && !has_type(value, schema["type"])) {
      problems.push_back(path + ": " + std::string(value.type_name()) + " " +
                         value.dump().substr(0, 80) + ", described as " + schema["type"].dump());
      return;
    }
    if (schema.contains("enum") &&
        std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
      problems.push_back(path + ": " + value.dump() + " is not one of " + schema["enum"].dump());
    }
    if (schema.contains("const") && schema["const"] != value) {
      problems.push_back(path + ": " + value.dump() + " is not " + schema["const"].dump());
    }
    if (value.is_object()) {
      for (const auto& required : schema.value("required", json::array())) {
        if (!value.contains(required.get<std::string>())) {
          problems.push_back(path + ": the required " + required.dump() + " is missing");
        }
      }
      for (const auto& [key, member] : value.items()) {
        const std::string member_path = path + "." + key;
        if (schema.contains("properties") && schema["properties"].contains(key)) {
          seen.insert(schema_name + "." + key);
          walk(member, schema["properties"][key], member_path, schema_name + "." + key, problems);
        } else if (schema.contains("additionalProperties") &&
                   schema["additionalProperties"].is_object()) {
          walk(member, schema["additionalProperties"], member_path, schema_name + ".*", problems);
        } else if (schema.value("additionalProperties", json()) != true) {
          problems.push_back(member_path + ": not described in " + schema_name);
        }
      }
    }
    if (value.is_array() && schema.contains("items")) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        walk(value[i], schema["items"], path + "[" + std::to_string(i) + "]", schema_name,
             problems);
      }
    }
  }

  std::set<std::string> seen;  // "Item.chapters": properties of named schemas met in bodies

 private:
  static bool has_type(const json& value, const json& type) {
    if (type.is_array()) {
      return std::any_of(type.begin(), type.end(),
                         [&](const json& t) { return has_type(value, t); });
    }
    const std::string name = type.get<std::string>();
    if (name == "object") return value.is_object();
    if (name == "array") return value.is_array();
    if (name == "string") return value.is_string();
    if (name == "integer") return value.is_number_integer();
    if (name == "number") return value.is_number();
    if (name == "boolean") return value.is_boolean();
    if (name == "null") return value.is_null();
    return false;
  }

  const json& document_;
};

// "/api/items/:id" (the route table) → "/api/items/{id}" (OpenAPI).
std::string openapi_path(const std::string& route_pattern) {
  return std::regex_replace(route_pattern, std::regex(":([a-z_]+)"), "{$1}");
}

// Whether `path` is one of the paths "/i/{slug}/captions.vtt" stands for.
bool template_matches(const std::string& path_template, const std::string& path) {
  const std::string dots_escaped = std::regex_replace(path_template, std::regex("\\."), "\\.");
  const std::string pattern =
      std::regex_replace(dots_escaped, std::regex("\\{[a-z_]+\\}"), "[^/]+");
  return std::regex_match(path, std::regex(pattern));
}

std::string lower_case(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// --- the server over a small archive that shows every field -------------------------------------

using Headers = std::vector<std::pair<std::string, std::string>>;

HttpResponse send_request(int port, const std::string& method, const std::string& target,
                          const Headers& headers = {}, const std::string& body = {}) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) raw += name + ": " + value + "\r\n";
  if (!body.empty())
    raw +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  auto responses =
      parse_responses(exchange(port, raw + "\r\n" + body, std::chrono::seconds(10), 1));
  if (responses.empty()) {
    ADD_FAILURE() << "no response to " << method << ' ' << target.substr(0, 100);
    return {};
  }
  return responses.front();
}

// A publication with a file and a cover and every optional field; a broadcast with chapters and
// cues whose file is gone; a film without year or project fetched from a URL.
std::vector<mediateka::Item> archive_items(const fs::path& pdf) {
  using mediateka::ItemType;
  mediateka::Item publication;
  publication.id = "pub1";
  publication.type = ItemType::publication;
  publication.title = "Poradnik pomocy społecznej";
  publication.campaigns = {"Aktywna integracja"};
  publication.year = 2011;
  publication.date = "2011-05-14";
  publication.project = "Razem dla Mazowsza";
  publication.series = "Poradniki";
  publication.issue = "3/2011";
  publication.description = "Jak działa ośrodek pomocy społecznej.";
  publication.authors = {"Anna Nowak", "Jan Kowalski"};
  publication.language = "pl";
  publication.places = {{"powiat wyszkowski", mediateka::PlaceKind::powiat, false},
                        {"gmina Somianka", mediateka::PlaceKind::gmina, true},
                        // Unknown: only the librarian's view (GET /api/admin/items) shows it.
                        {"Atlantyda", mediateka::PlaceKind::powiat, false, true}};
  publication.pages = 2;
  publication.ocr_pages = {2};
  publication.repaired_pages = {1};
  publication.segments = {page(1, "Wprowadzenie do pomocy społecznej w gminie"),
                          page(2, "Ośrodek pomocy społecznej wspiera rodziny")};
  publication.source.path = "poradnik.pdf";
  publication.source.file = pdf.string();
  publication.source.size = static_cast<std::int64_t>(fs::file_size(pdf));
  publication.source.checksum = "0123456789abcdef";
  publication.source.mime = "application/pdf";

  mediateka::Item broadcast;
  broadcast.id = "radio1";
  broadcast.type = ItemType::radio;
  broadcast.title = "Audycja o ekonomii społecznej";
  broadcast.campaigns = {"Ekonomia społeczna", "Wolontariat"};
  broadcast.year = 2013;
  broadcast.project = "Ekonomia w regionie";
  broadcast.duration_s = 120.5;
  broadcast.chapters = {{"Wstęp", 0, 5}, {"Rozmowa", 5, 0}};
  broadcast.media = {"mp3", "", "mp3 44100 Hz 2 ch"};
  broadcast.segments = {cue(0, 5, "Dzień dobry państwu"),
                        cue(93.5, 97, "spółdzielnie socjalne i ekonomia społeczna"),
                        cue(100, 104, "rozmowa o wolontariacie")};
  broadcast.source.path = "audycja.mp3";
  broadcast.source.file = "/nonexistent/mediateka-openapi-test/audycja.mp3";
  broadcast.source.checksum = "fedcba9876543210";
  broadcast.source.mime = "audio/mpeg";

  mediateka::Item film;
  film.id = "film1";
  film.type = ItemType::film;
  film.title = "Zażółć gęślą jaźń";
  film.media = {"matroska", "h264 1280x720", "aac 48000 Hz 2 ch"};
  film.duration_s = 60;
  film.segments = {cue(1, 4, "film dokumentalny o ekonomii")};
  film.source.url = "https://example.org/filmy/film1.mkv";
  film.source.checksum = "00ff00ff00ff00ff";
  film.source.mime = "video/x-matroska";
  // Seen only with a token of its group: the probes that hold one see its "access".
  mediateka::Item restricted = publication;
  restricted.id = "restricted1";
  restricted.title = "Raport dla partnerów";
  restricted.access = {"liderzy-kooperacji"};
  restricted.ocr_pages.clear();
  restricted.repaired_pages.clear();
  mediateka::Item withdrawn = publication;  // withdrawn at the desk by the probes
  withdrawn.id = "gone1";
  withdrawn.title = "Ulotka wycofana";
  return {publication, broadcast, film, restricted, withdrawn};
}

class ServerOpenApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder("mediateka-test-", FolderPath::canonical);
    const fs::path pdf = folder_->path() / "files" / "poradnik.pdf";
    write_file(pdf, "%PDF-1.4\n% a stand-in for a publication\n%%EOF\n");
    write_file(folder_->path() / "index-thumbs" / "pub1.png", "\x89PNG\r\n\x1a\n stand-in");
    {
      mediateka::IndexWriter writer((folder_->path() / "index").string());
      for (auto& item : archive_items(pdf)) writer.put(item);
      writer.commit();
    }
    token_ = new std::string(mediateka::create_token((folder_->path() / "index").string(),
                                                     {"liderzy-kooperacji"}, "Test", "",
                                                     std::time(nullptr))
                                 .token);
    librarian_ =
        new std::string(mediateka::create_librarian_token((folder_->path() / "index").string(),
                                                          "Biblioteka", "", std::time(nullptr))
                            .token);
    server_ = new ServerProcess(folder_->path() / "index");
    port_ = server_->wait_until_listening();
    if (port_ > 0) {
      document_ = new json(json::parse(send_request(port_, "GET", "/api/openapi.json").body));
    }
  }
  static void TearDownTestSuite() {
    delete document_;
    delete token_;
    delete librarian_;
    delete server_;
    delete folder_;
  }
  void SetUp() override {
    ASSERT_GT(port_, 0);
    ASSERT_NE(document_, nullptr);
  }

  static const json& document() { return *document_; }

  // The operation that describes `method` on `path`, or nullptr.
  static const json* operation(const std::string& method, const std::string& path) {
    for (const auto& [path_template, item] : document()["paths"].items()) {
      if (template_matches(path_template, path) && item.contains(lower_case(method))) {
        return &item[lower_case(method)];
      }
    }
    return nullptr;
  }

  // The operation's query parameters, references resolved.
  static std::vector<json> query_parameters(const json& operation) {
    SchemaWalker walker(document());
    std::vector<json> parameters;
    for (const json& parameter : operation.value("parameters", json::array())) {
      const json& resolved = walker.resolve(parameter);
      if (resolved["in"] == "query") parameters.push_back(resolved);
    }
    return parameters;
  }

  static std::string slug_of(const std::string& id) {
    return json::parse(send_request(port_, "GET", "/api/items/" + id).body)["slug"];
  }

  static TemporaryFolder* folder_;
  static std::string* token_;  // of the group liderzy-kooperacji
  static std::string* librarian_;
  static ServerProcess* server_;
  static int port_;
  static json* document_;
};

TemporaryFolder* ServerOpenApi::folder_ = nullptr;
std::string* ServerOpenApi::token_ = nullptr;
std::string* ServerOpenApi::librarian_ = nullptr;
ServerProcess* ServerOpenApi::server_ = nullptr;
int ServerOpenApi::port_ = 0;
json* ServerOpenApi::document_ = nullptr;

// --- the document itself ------------------------------------------------------------------------

TEST_F(ServerOpenApi, ServedDocumentIsTheRepositorysFileCachedLikeStaticFiles) {
  const HttpResponse response = send_request(port_, "GET", "/api/openapi.json");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(response.body,
            read_file(fs::path(MEDIATEKA_SOURCE_DIR) / "search-server/openapi.json"));
  EXPECT_EQ(document()["openapi"].get<std::string>().substr(0, 4), "3.1.");

  const std::string etag = response.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(response.header("cache-control").find("public"), std::string::npos);
  EXPECT_EQ(send_request(port_, "GET", "/api/openapi.json", {{"If-None-Match", etag}}).status, 304);
  const std::string version = etag.substr(1, etag.size() - 2);
  EXPECT_NE(send_request(port_, "GET", "/api/openapi.json?v=" + version)
                .header("cache-control")
                .find("immutable"),
            std::string::npos);
}

// A fixed object is closed: a field the server adds must be added to the document too.
TEST_F(ServerOpenApi, EveryObjectSchemaWithPropertiesIsClosedAndEveryReferenceResolves) {
  SchemaWalker walker(document());
  std::vector<std::string> problems;
  std::function<void(const json&, const std::string&)> visit = [&](const json& node,
                                                                   const std::string& where) {
    if (node.is_object()) {
      if (node.contains("$ref")) {
        try {
          walker.resolve(node);
        } catch (const std::exception& error) {
          problems.push_back(where + ": " + error.what());
        }
      }
      if (node.contains("properties") && node.value("additionalProperties", json()) != false) {
        problems.push_back(where +
                           ": an object with properties without additionalProperties false");
      }
      for (const auto& [key, child] : node.items()) visit(child, where + "/" + key);
    } else if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) visit(node[i], where + "/" + std::to_string(i));
    }
  };
  visit(document(), "#");
  EXPECT_TRUE(problems.empty()) << testing::PrintToString(problems);
}

TEST_F(ServerOpenApi, EveryRouteIsDescribedAndNothingElse) {
  std::set<std::pair<std::string, std::string>> routes;
  for (const mediateka::server::Route& route : mediateka::server::api_routes()) {
    routes.emplace(openapi_path(route.pattern), lower_case(route.method));
  }
  std::set<std::pair<std::string, std::string>> described;
  for (const auto& [path, item] : document()["paths"].items()) {
    for (const auto& [method, ignored] : item.items()) described.emplace(path, method);
  }
  EXPECT_EQ(described, routes);

  // Each path parameter of a route is a required path parameter of its operation.
  SchemaWalker walker(document());
  for (const auto& [path, method] : routes) {
    if (!described.count({path, method})) continue;
    const json& operation = document()["paths"][path][method];
    std::smatch match;
    for (auto from = path.cbegin();
         std::regex_search(from, path.cend(), match, std::regex("\\{([a-z_]+)\\}"));
         from = match.suffix().first) {
      bool found = false;
      for (const json& parameter : operation.value("parameters", json::array())) {
        const json& resolved = walker.resolve(parameter);
        found |= resolved["in"] == "path" && resolved["name"] == match[1].str() &&
                 resolved.value("required", false);
      }
      EXPECT_TRUE(found) << method << ' ' << path << ": no path parameter " << match[1];
    }
  }
}

// --- real responses -----------------------------------------------------------------------------

struct Probe {
  std::string method;
  std::string target;
  int status;
  Headers headers = {};
  bool routed = true;     // false: answered by the HTTP layer before any route is chosen
  std::string body = {};  // sent as application/json
};

TEST_F(ServerOpenApi, EveryResponseIsDescribedFieldByField) {
  const std::string pub = slug_of("pub1"), radio = slug_of("radio1");
  ASSERT_FALSE(pub.empty());
  ASSERT_NE(pub, "pub1");  // so that /i/pub1 is the 301 from an id
  // The desk: a job that has ended (gone1 withdrawn), for the job's and the audit's fields.
  const Headers librarian = {{"Authorization", "Bearer " + *librarian_}};
  const std::string job =
      json::parse(send_request(port_, "DELETE", "/api/admin/items/gone1", librarian).body)["job"];
  for (int tries = 0; tries < 100; ++tries) {
    const json state =
        json::parse(send_request(port_, "GET", "/api/admin/jobs/" + job, librarian).body);
    if (state["state"] == "done" || state["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string made_token =
      json::parse(send_request(port_, "POST", "/api/admin/tokens", librarian,
                               R"({"label": "Gmina", "groups": ["liderzy-kooperacji"]})")
                      .body)["id"];
  const std::vector<Probe> probes = {
      {"GET", "/api/search", 200},
      {"GET", "/api/search?q=pomocy", 200},
      {"GET", "/api/search?q=ekonomii", 200},
      {"GET", "/api/search?q=wolontarjacie", 200},
      {"GET", "/api/search?q=PCPR", 200},
      {"GET", "/api/search?q=PCPR&expand=0", 200},
      {"GET", "/api/search?q=PCPR&expand=2", 400},
      {"GET",
       "/api/search?q=spo%C5%82ecznej&type=radio&type=publication&campaign=Aktywna+integracja"
       "&project=Razem+dla+Mazowsza&year=2011&year_from=2010&year_to=2014&sort=newest&page=1"
       "&per_page=5",
       200},
      {"GET", "/api/search?sort=oldest&page=99", 200},
      {"GET", "/api/search?per_page=0", 400},
      {"GET", "/api/search?q=" + std::string(1001, 'a'), 400},
      {"GET", "/api/search?q=%ZZ", 400},
      {"GET", "/api/search?q=a+AND", 400},
      {"GET", "/api/search?sort=a&sort=b", 400},
      {"GET", "/api/items/pub1", 200},
      {"GET", "/api/items/radio1", 200},
      {"GET", "/api/items/film1", 200},
      {"GET", "/api/items/nothing", 404},
      {"GET", "/api/items/Not%20an%20id", 404},
      {"GET", "/api/facets", 200},
      {"GET", "/api/suggest?q=pora", 200},
      {"GET", "/api/suggest", 200},
      {"GET", "/api/suggest?q=a&limit=51", 400},
      {"GET", "/api/openapi.json", 200},
      {"GET", "/api/openapi.json", 304, {{"If-None-Match", "*"}}},
      {"GET", "/healthz", 200},
      {"GET", "/metrics", 200},
      {"GET", "/files/pub1", 200},
      {"GET", "/files/pub1", 206, {{"Range", "bytes=0-3"}}},
      {"GET", "/files/pub1", 416, {{"Range", "bytes=100000-"}}},
      {"GET", "/files/pub1", 304, {{"If-None-Match", "*"}}},
      {"GET", "/files/radio1", 404},
      {"GET", "/files/film1", 302},
      {"GET", "/thumbs/pub1", 200},
      {"GET", "/thumbs/pub1", 206, {{"Range", "bytes=-4"}}},
      {"GET", "/thumbs/radio1", 404},
      {"GET", "/", 200},
      {"GET", "/?q=pomocy&type=publication", 200},
      {"GET", "/?per_page=0", 400},
      {"GET", "/i/" + pub + "?page=2", 200},
      {"GET", "/i/" + radio + "?t=1:33", 200},
      {"GET", "/i/pub1?page=2", 301},
      {"GET", "/i/nothing", 404},
      {"GET", "/i/" + radio + "/captions.vtt", 200},
      {"GET", "/i/" + pub + "/captions.vtt", 404},
      {"GET", "/i/" + radio + "?t=1:33,1:40", 200},
      {"GET", "/i/" + radio + "/embed?t=5,10", 200},
      {"GET", "/i/" + pub + "/embed", 404},
      {"GET", "/i/" + pub + "/strony/3.png", 404},
      {"GET", "/i/" + pub + "/strony/1.png?q=" + std::string(1025, 'a'), 400},
      {"GET", "/favicon.ico", 200},
      {"GET", "/static/logo", 404},
      {"GET", "/sitemap.xml", 200},
      {"GET", "/sitemap-1.xml", 200},
      {"GET", "/sitemap-2.xml", 404},
      {"GET", "/robots.txt", 200},
      {"GET", "/feed", 200},
      {"GET", "/feed?q=pomocy&type=publication&sort=relevance&per_page=5", 200},
      {"GET", "/feed?per_page=0", 400},
      {"GET", "/dostepnosc", 200},
      {"GET", "/miejsca", 200},
      {"GET", "/api/search?place=powiat+wyszkowski&place=P%C5%82ock", 200},
      {"GET", "/oai?verb=Identify", 200},
      {"GET", "/oai?verb=ListRecords&metadataPrefix=oai_dc", 200},
      {"POST", "/oai", 200},
      {"GET", "/logowanie", 200},
      {"POST", "/logowanie", 401},
      {"POST", "/wyloguj", 303},
      {"GET", "/api/items/restricted1", 404},
      {"GET", "/api/items/restricted1", 200, {{"Authorization", "Bearer " + *token_}}},
      {"GET", "/api/search?q=partner%C3%B3w", 200, {{"Authorization", "Bearer " + *token_}}},
      {"GET", "/api/search", 401, {{"Authorization", "Bearer mtk_wrong"}}},
      {"GET", "/", 401, {{"Cookie", "mediateka_session=mtk_wrong"}}},
      {"GET", "/static/style.css", 200},
      {"GET", "/static/app.js", 200},
      {"GET", "/static/app.js", 304, {{"If-None-Match", "*"}}},
      {"GET", "/api/admin/jobs", 200, librarian},
      {"GET", "/api/admin/jobs/" + job, 200, librarian},
      {"GET", "/api/admin/jobs/nothing", 404, librarian},
      {"GET", "/api/admin/jobs", 401},
      {"GET", "/api/admin/jobs", 403, {{"Authorization", "Bearer " + *token_}}},
      {"GET", "/api/admin/audit?limit=5", 200, librarian},
      {"GET", "/api/admin/audit?limit=0", 400, librarian},
      {"GET", "/api/admin/items/pub1", 200, librarian},
      {"GET", "/api/admin/items/gone1", 410, librarian},
      {"GET", "/api/items/gone1", 410},
      {"GET", "/api/admin/items/nothing", 404, librarian},
      {"PATCH", "/api/admin/items/pub1", 400, librarian, true, "[1]"},
      {"DELETE", "/api/admin/items/nothing", 404, librarian},
      {"POST", "/api/admin/items/pub1/restore", 409, librarian},
      {"POST", "/api/admin/items/pub1/replace", 400, librarian},
      {"POST", "/api/admin/items", 400, librarian},
      {"POST", "/api/admin/imports", 400, librarian},
      {"GET", "/api/admin/tokens", 200, librarian},
      {"POST", "/api/admin/tokens", 201, librarian, true,
       R"({"label": "Powiat", "groups": ["liderzy-kooperacji"], "expires": "2099-12-31"})"},
      {"POST", "/api/admin/tokens", 400, librarian, true, R"({"label": ""})"},
      {"DELETE", "/api/admin/tokens/" + made_token, 200, librarian},
      {"DELETE", "/api/admin/tokens/nothing", 404, librarian},
      {"DELETE", "/api/admin/items/radio1", 202, librarian},
      {"GET", "/api/admin/synonyms", 404, librarian},
      {"PUT", "/api/admin/synonyms", 409, librarian, true, "PCPR,powiatowe centrum"},
      // What visitors searched: the anonymous searches above were counted.
      {"GET", "/api/admin/queries?days=7", 200, librarian},
      {"GET", "/api/admin/queries?zero=1&limit=5", 200, librarian},
      {"GET", "/api/admin/queries?days=0", 400, librarian},
      {"GET", "/api/admin/queries", 401},
      {"GET", "/api/admin/queries", 403, {{"Authorization", "Bearer " + *token_}}},
      // The desk's pages (desk/desk_pages.h): HTML for librarians.
      {"GET", "/biblioteka", 200, librarian},
      {"GET", "/biblioteka?q=pomocy", 200, librarian},
      {"GET", "/biblioteka", 303},
      {"GET", "/biblioteka", 403, {{"Authorization", "Bearer " + *token_}}},
      {"GET", "/biblioteka/dodaj", 200, librarian},
      {"POST", "/biblioteka/dodaj", 400, librarian},
      {"GET", "/biblioteka/import", 200, librarian},
      {"POST", "/biblioteka/import", 400, librarian},
      {"GET", "/biblioteka/zadania/" + job, 200, librarian},
      {"GET", "/biblioteka/zadania/nothing", 404, librarian},
      {"POST", "/biblioteka/zadania/" + job + "/zastosuj", 400, librarian},
      {"GET", "/biblioteka/pozycje/pub1", 200, librarian},
      {"GET", "/biblioteka/pozycje/" + pub, 200, librarian},
      {"GET", "/biblioteka/pozycje/film1", 200, librarian},
      {"GET", "/biblioteka/pozycje/nothing", 404, librarian},
      {"POST", "/biblioteka/pozycje/pub1", 303, librarian},
      {"POST", "/biblioteka/pozycje/pub1/plik", 400, librarian},
      {"GET", "/biblioteka/pozycje/pub1/wycofaj", 200, librarian},
      {"POST", "/biblioteka/pozycje/nothing/wycofaj", 404, librarian},
      {"POST", "/biblioteka/pozycje/pub1/przywroc", 409, librarian},
      {"GET", "/biblioteka/tokeny", 200, librarian},
      {"POST", "/biblioteka/tokeny", 400, librarian},
      {"GET", "/biblioteka/tokeny/nowy/0123", 404, librarian},
      {"GET", "/biblioteka/tokeny/nothing/uniewaznij", 404, librarian},
      {"POST", "/biblioteka/tokeny/nothing/uniewaznij", 404, librarian},
      {"GET", "/biblioteka/historia", 200, librarian},
      {"GET", "/biblioteka/zapytania?dni=30", 200, librarian},
      // No operation: only the error body is described (the Error schema).
      {"POST", "/api/search", 405},
      {"GET", "/nowhere", 404},
      // Refused before any route (request_framing.h).
      {"GET", "/api/search?q=" + std::string(17000, 'a'), 414, {}, false},
      {"GET", "/healthz", 431, {{"X-Filler", std::string(17000, 'a')}}, false},
      {"POST", "/oai", 413, {{"Content-Length", "52428800"}}, false},
      {"POST", "/oai", 411, {{"Transfer-Encoding", "chunked"}}, false},
      {"GET", "/healthz", 400, {{"No Colon", "x"}}, false},
  };

  SchemaWalker walker(document());
  const json error_schema = {{"$ref", "#/components/schemas/Error"}};
  for (const Probe& probe : probes) {
    const std::string label = probe.method + ' ' + probe.target.substr(0, 80);
    const HttpResponse response =
        send_request(port_, probe.method, probe.target, probe.headers, probe.body);
    ASSERT_EQ(response.status, probe.status) << label << ": " << response.body.substr(0, 300);
    const std::string type = response.header("content-type");
    const std::string media_type = type.substr(0, type.find(';'));
    std::vector<std::string> problems;

    const std::string path = probe.target.substr(0, probe.target.find('?'));
    const json* described = probe.routed ? operation(probe.method, path) : nullptr;
    if (!described) {
      EXPECT_EQ(media_type, "application/json") << label;
      walker.walk(json::parse(response.body), error_schema, "$", "", problems);
      EXPECT_TRUE(problems.empty()) << label << ": " << testing::PrintToString(problems);
      continue;
    }
    const json& responses = (*described)["responses"];
    const std::string status = std::to_string(response.status);
    const std::string range = status.substr(0, 1) + "XX";
    const json* answer = responses.contains(status)      ? &responses[status]
                         : responses.contains(range)     ? &responses[range]
                         : responses.contains("default") ? &responses["default"]
                                                         : nullptr;
    ASSERT_NE(answer, nullptr) << label << ": status " << status << " is not described";
    const json& resolved = walker.resolve(*answer);
    if (response.body.empty()) continue;
    ASSERT_TRUE(resolved.contains("content")) << label << ": a body is not described";
    const json& content = resolved["content"];
    ASSERT_TRUE(content.contains(media_type) || content.contains("*/*"))
        << label << ": " << type << " is not described";
    if (media_type != "application/json") continue;
    walker.walk(json::parse(response.body), content[media_type]["schema"], "$", "", problems);
    EXPECT_TRUE(problems.empty()) << label << ": " << testing::PrintToString(problems);
  }

  // A server over [[shards]], one of them down: the fields of a partial answer.
  {
    const fs::path config = folder_->path() / "shards.toml";
    write_file(config, "[server]\nshard_timeout_ms = 300\n[[shards]]\nname = \"here\"\ndb = \"" +
                           (folder_->path() / "index").string() +
                           "\"\n[[shards]]\nname = \"away\"\nremote = \"127.0.0.1:" +
                           std::to_string(free_port()) + "\"\n");
    ServerProcess partial(folder_->path() / "index", {}, config);
    const int port = partial.wait_until_listening();
    ASSERT_GT(port, 0);
    for (const std::string target : {"/api/search?q=pomocy", "/api/facets"}) {
      const HttpResponse response = send_request(port, "GET", target);
      ASSERT_EQ(response.status, 200) << target;
      const json body = json::parse(response.body);
      EXPECT_EQ(body["missing_shards"], json::array({"away"})) << target;
      std::vector<std::string> problems;
      walker.walk(
          body,
          (*operation("GET", target.substr(0, target.find('?'))))["responses"]["200"]["content"]
                                                                 ["application/json"]["schema"],
          "$", "", problems);
      EXPECT_TRUE(problems.empty()) << target << ": " << testing::PrintToString(problems);
    }
  }

  // And the reverse: each field the document describes was met in some body, so the document
  // describes no field the server does not give.
  std::vector<std::string> never_seen;
  for (const auto& [name, schema] : document()["components"]["schemas"].items()) {
    const json properties = schema.value("properties", json::object());
    for (const auto& [property, ignored] : properties.items()) {
      if (!walker.seen.count(name + "." + property)) never_seen.push_back(name + "." + property);
    }
  }
  EXPECT_TRUE(never_seen.empty()) << testing::PrintToString(never_seen);
}

// --- parameters ---------------------------------------------------------------------------------

// Each constraint the document states on a query parameter is one the server enforces (a value
// outside it is a 400 naming the parameter), and each unconstrained parameter is accepted.
TEST_F(ServerOpenApi, DescribedParametersAreTheOnesTheServerChecks) {
  SchemaWalker walker(document());
  for (const auto& [path, item] : document()["paths"].items()) {
    if (path.find('{') != std::string::npos) continue;  // /i/{slug} ignores malformed t and page
    // The desk's answer only librarians (tests/server_desk_test.cpp checks their parameters).
    if (path.rfind("/api/admin/", 0) == 0 || path.rfind("/biblioteka", 0) == 0) continue;
    if (!item.contains("get")) continue;  // POST /wyloguj
    for (const json& parameter : query_parameters(item["get"])) {
      const std::string name = parameter["name"];
      json schema = walker.resolve(parameter["schema"]);
      if (schema["type"] == "array") schema = walker.resolve(schema["items"]);
      std::vector<std::string> wrong;
      if (schema.contains("enum")) wrong.push_back("not-one-of-them");
      if (schema.contains("minimum")) {
        wrong.push_back(std::to_string(schema["minimum"].get<long long>() - 1));
      }
      if (schema.contains("maximum")) {
        wrong.push_back(std::to_string(schema["maximum"].get<long long>() + 1));
      }
      if (schema.contains("pattern")) wrong.push_back("20x1");
      if (schema.contains("maxLength")) {
        wrong.push_back(std::string(schema["maxLength"].get<std::size_t>() + 1, 'a'));
      }
      const std::string label = path + " " + name;
      for (const std::string& value : wrong) {
        const HttpResponse response = send_request(port_, "GET", path + "?" + name + "=" + value);
        EXPECT_EQ(response.status, 400) << label << "=" << value.substr(0, 40);
        if (path.rfind("/api/", 0) == 0) {
          EXPECT_NE(response.body.find(name), std::string::npos) << label << ": " << response.body;
        }
      }
      if (wrong.empty()) {
        EXPECT_EQ(send_request(port_, "GET", path + "?" + name + "=Wolontariat").status, 200)
            << label;
      }
    }
  }
  // The stated defaults are the ones the server uses.
  const json browse = json::parse(send_request(port_, "GET", "/api/search").body);
  for (const json& parameter : query_parameters(document()["paths"]["/api/search"]["get"])) {
    const std::string name = parameter["name"];
    if (browse.contains(name) && parameter["schema"].contains("default")) {
      EXPECT_EQ(browse[name], parameter["schema"]["default"]) << name;
    }
  }
}

// The server ignores parameters it does not know, so a parameter read without the document can
// only be found in the source: every name the handlers read is a described query parameter.
TEST_F(ServerOpenApi, EveryParameterTheHandlersReadIsDescribed) {
  std::set<std::string> described;
  for (const auto& [path, item] : document()["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      for (const json& parameter : query_parameters(operation)) described.insert(parameter["name"]);
      // Form fields (the login form) are read the same way.
      const json form = operation.value(
          "/requestBody/content/application~1x-www-form-urlencoded/"
          "schema/properties"_json_pointer,
          json::object());
      for (const auto& [field, ignored] : form.items()) described.insert(field);
    }
  }
  // query.single("t"), request.query.all("v"), integer_in_range(parameters, "page", ...), ...
  const std::regex read(R"re((?:\.(?:single|all)\(|\(parameters, )"([^"]+)")re");
  std::set<std::string> read_names;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(MEDIATEKA_SOURCE_DIR) / "search-server")) {
    if (entry.path().extension() != ".cpp") continue;
    const std::string source = read_file(entry.path());
    for (std::sregex_iterator it(source.begin(), source.end(), read), end; it != end; ++it) {
      read_names.insert((*it)[1]);
    }
  }
  // If the handlers read their parameters some other way, this test must learn it.
  for (const char* known : {"q", "type", "year_from", "sort", "per_page", "limit", "t", "v"}) {
    EXPECT_TRUE(read_names.count(known)) << known << " is no longer found in search-server/";
  }
  for (const std::string& name : read_names) {
    EXPECT_TRUE(described.count(name)) << "the parameter '" << name << "' is not described";
  }
}

}  // namespace
