// The librarian's desk end to end: an archive imported by mediateka-index, a librarian's token
// and a reader's made by `token create`, and mediateka-server's /api/admin/* asked to correct,
// restrict, withdraw and restore items and to issue and revoke tokens; every change seen by
// search within 2 s, in the audit trail, refused to anyone else, and not lost when the command
// line writes the index at the same time.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "archive/index_writer.h"
#include "media_test_support.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

using nlohmann::json;

const char* const kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

struct CommandRun {
  int status = -1;
  std::string out, err;
};

class LibrariansDesk : public ::testing::Test {
 protected:
  void SetUp() override {
    if (python_with_reportlab().empty() || !fs::exists(kDejaVu))
      GTEST_SKIP() << "python3-reportlab or fonts-dejavu-core is not installed";
    in_ = folder_.path() / "in";
    fs::create_directories(in_);
    const std::string script = R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont('DejaVu', ')" +
                               std::string(kDejaVu) + R"('))
def pdf(name, text):
    c = canvas.Canvas(')" + in_.string() +
                               R"(/' + name, invariant=1)
    c.setFont('DejaVu', 12)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
pdf('poradnik.pdf', 'Poradnik o wolontariacie i pomocy sąsiedzkiej.')
pdf('ulotka.pdf', 'Ulotka o ekonomii społecznej w powiecie.')
)";
    ASSERT_TRUE(run_python(folder_.path(), script));
    write_file(in_ / "manifest.csv",
               "source,title,campaign,year\n"
               "poradnik.pdf,Poradnik wolontariusza,Wolontariat,2019\n"
               "ulotka.pdf,Ulotka spółdzielni,Ekonomia społeczna,2020\n");
    const CommandRun imported =
        index("import --db " + quoted(db()) + " --manifest " + quoted(in_ / "manifest.csv"));
    ASSERT_EQ(imported.status, 0) << imported.err;
    librarian_ = token("create --role librarian --label 'Anna Kowalska'");
    reader_ = token("create --group gmina-wyszkow --label 'Gmina Wyszków'");
    server_ = std::make_unique<ServerProcess>(db());
    port_ = server_->wait_until_listening();
    ASSERT_GT(port_, 0);
    poradnik_ = id_titled("Poradnik wolontariusza");
    ulotka_ = id_titled("Ulotka spółdzielni");
    ASSERT_FALSE(poradnik_.empty());
    ASSERT_FALSE(ulotka_.empty());
    audit_before_ = as_librarian("GET", "/api/admin/audit").json_body().size();
    ASSERT_EQ(audit_before_, 4u);  // the command line's: two items added, two tokens made
  }

  // The audit trail's entries since SetUp, newest first.
  json new_audit() const {
    json entries = as_librarian("GET", "/api/admin/audit").json_body();
    if (!entries.is_array() || entries.size() < audit_before_) {
      ADD_FAILURE() << "the audit trail: " << entries.dump();
      return json::array();
    }
    entries.erase(entries.end() - static_cast<std::ptrdiff_t>(audit_before_), entries.end());
    return entries;
  }

  fs::path db() const { return folder_.path() / "db"; }

  CommandRun index(const std::string& arguments) const {
    CommandRun run;
    const fs::path out = folder_.path() / "stdout", err = folder_.path() / "stderr";
    const int status = std::system((std::string(MEDIATEKA_INDEX_BIN) + " " + arguments + " >" +
                                    quoted(out) + " 2>" + quoted(err))
                                       .c_str());
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_file(out);
    run.err = read_file(err);
    return run;
  }

  std::string token(const std::string& arguments) const {
    const CommandRun made = index("token " + arguments + " --db " + quoted(db()));
    EXPECT_EQ(made.status, 0) << made.err;
    return json::parse(made.out)["token"];
  }

  static std::string bearer(const std::string& token) {
    return "Authorization: Bearer " + token + "\r\n";
  }

  HttpResponse send(const std::string& method, const std::string& target,
                    const std::string& headers = "", const std::string& body = "",
                    const std::string& type = "application/json") const {
    std::string raw =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers;
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT")
      raw +=
          "Content-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    raw += "\r\n" + body;
    const auto responses = parse_responses(exchange(port_, raw, std::chrono::seconds(90), 1));
    if (responses.empty()) {
      ADD_FAILURE() << "no response to " << method << ' ' << target;
      return {};
    }
    return responses.front();
  }

  HttpResponse as_librarian(const std::string& method, const std::string& target,
                            const std::string& body = "") const {
    return send(method, target, bearer(librarian_), body);
  }

  // A multipart/form-data body: text fields, then files as (field, file name, content).
  struct FilePart {
    std::string field, name, content;
  };
  static std::string multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                               const std::vector<FilePart>& files) {
    std::string body;
    for (const auto& [name, value] : fields)
      body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    for (const FilePart& file : files)
      body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
              file.field + "\"; filename=\"" + file.name +
              "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + file.content + "\r\n";
    return body + "--" + kBoundary + "--\r\n";
  }
  static constexpr const char* kBoundary = "----mediateka-test-7d1f";
  HttpResponse upload(const std::string& target, const std::string& body) const {
    return send("POST", target, bearer(librarian_), body,
                std::string("multipart/form-data; boundary=") + kBoundary);
  }

  std::string id_titled(const std::string& title) const {
    const json found =
        get(port_, "/api/search?per_page=10&q=" + percent_encoded("title:\"" + title + "\""))
            .json_body();
    for (const json& hit : found["hits"])
      if (hit["title"] == title) return hit["id"];
    return "";
  }

  static std::string percent_encoded(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        out += static_cast<char>(c);
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        out += hex;
      }
    }
    return out;
  }

  // Polls the job until it ends (or 60 s pass); its record.
  json finished_job(const std::string& job) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    json record;
    while (std::chrono::steady_clock::now() < deadline) {
      record = as_librarian("GET", "/api/admin/jobs/" + job).json_body();
      if (record["state"] == "done" || record["state"] == "failed") return record;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << job << " did not end: " << record.dump();
    return record;
  }

  // True once `condition` holds, checked every 50 ms for at most `limit`.
  template <class Condition>
  static bool within(std::chrono::milliseconds limit, Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
  }

  TemporaryFolder folder_{"server_desk_test."};
  fs::path in_;
  std::string librarian_, reader_, poradnik_, ulotka_;
  std::size_t audit_before_ = 0;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(LibrariansDesk, EveryDeskRouteRefusesAnonymousAndReaders) {
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/admin/items"},
      {"GET", "/api/admin/items/" + poradnik_},
      {"PATCH", "/api/admin/items/" + poradnik_},
      {"DELETE", "/api/admin/items/" + poradnik_},
      {"POST", "/api/admin/items/" + poradnik_ + "/restore"},
      {"POST", "/api/admin/items/" + poradnik_ + "/replace"},
      {"POST", "/api/admin/imports"},
      {"GET", "/api/admin/jobs"},
      {"GET", "/api/admin/jobs/0123456789ab"},
      {"GET", "/api/admin/audit"},
      {"GET", "/api/admin/tokens"},
      {"POST", "/api/admin/tokens"},
      {"DELETE", "/api/admin/tokens/0123456789ab"},
      {"GET", "/api/admin/synonyms"},
      {"PUT", "/api/admin/synonyms"},
  };
  for (const auto& [method, path] : routes) {
    const std::string body = method == "PATCH" ? R"({"title": "Włamanie"})" : "";
    EXPECT_EQ(send(method, path, "", body).status, 401) << method << ' ' << path;
    EXPECT_EQ(send(method, path, bearer(reader_), body).status, 403) << method << ' ' << path;
  }
  // A wrong token is refused like any (and a few of them slow the address down).
  EXPECT_EQ(send("GET", "/api/admin/jobs", bearer("mtk_0123456789ab_wrong")).status, 401);
  // Nothing was changed by any of them.
  const json item = get(port_, "/api/items/" + poradnik_).json_body();
  EXPECT_EQ(item["title"], "Poradnik wolontariusza");
  EXPECT_EQ(new_audit(), json::array());
}

TEST_F(LibrariansDesk, ACookieSessionNeedsTheCsrfTokenToChangeAnything) {
  const std::string cookie = "Cookie: mediateka_session=" + librarian_ + "\r\n";
  // Reading is fine with the cookie alone.
  EXPECT_EQ(send("GET", "/api/admin/jobs", cookie).status, 200);
  const HttpResponse refused =
      send("PATCH", "/api/admin/items/" + poradnik_, cookie, R"({"title": "Podrobiony"})");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.json_body()["error"]["code"], "csrf");
  const HttpResponse wrong = send("PATCH", "/api/admin/items/" + poradnik_,
                                  cookie + "X-CSRF-Token: 00ff\r\n", R"({"title": "Podrobiony"})");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(get(port_, "/api/items/" + poradnik_).json_body()["title"], "Poradnik wolontariusza");

  // The CSRF token the desk's pages embed: a keyed hash of the session token's id.
  std::string key = read_file(fs::path(db().string() + "-desk") / "csrf.key");
  key.erase(key.find_last_not_of("\n") + 1);
  ASSERT_EQ(sodium_init() < 0, false);
  unsigned char key_bytes[crypto_generichash_KEYBYTES];
  ASSERT_EQ(sodium_hex2bin(key_bytes, sizeof key_bytes, key.data(), key.size(), nullptr, nullptr,
                           nullptr),
            0);
  const std::string token_id = librarian_.substr(4, 12);
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token_id.data()),
                     token_id.size(), key_bytes, sizeof key_bytes);
  char csrf[sizeof digest * 2 + 1];
  sodium_bin2hex(csrf, sizeof csrf, digest, sizeof digest);
  const HttpResponse accepted = send("PATCH", "/api/admin/items/" + poradnik_,
                                     cookie + "X-CSRF-Token: " + std::string(csrf) + "\r\n",
                                     R"({"title": "Poradnik z sesji"})");
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json_body()["title"], "Poradnik z sesji");
}

TEST_F(LibrariansDesk, AnEditChangesOnlyTheNamedFieldsIsSearchableAndAudited) {
  const HttpResponse edited = as_librarian("PATCH", "/api/admin/items/" + poradnik_,
                                           R"({"title": "Poradnik dobrego sąsiada"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  const json item = edited.json_body();
  EXPECT_EQ(item["title"], "Poradnik dobrego sąsiada");
  EXPECT_EQ(item["campaigns"], json::array({"Wolontariat"}));  // not named: kept
  EXPECT_EQ(item["year"], 2019);
  EXPECT_EQ(item["id"], poradnik_);
  // Search sees it within 2 s of the answer.
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    return get(port_, "/api/search?q=sąsiada").json_body()["total"] == 1;
  }));
  const json audit = new_audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["action"], "edit");
  EXPECT_EQ(audit[0]["item"], poradnik_);
  EXPECT_EQ(audit[0]["token_id"], librarian_.substr(4, 12));
  EXPECT_EQ(audit[0]["by"], "Anna Kowalska");
  EXPECT_EQ(audit[0]["fields"], json::parse(R"([{"field": "title", "old": "Poradnik wolontariusza",
                                                 "new": "Poradnik dobrego sąsiada"}])"));

  // Wrong fields are refused at once, naming the problem; nothing changes.
  const HttpResponse bad =
      as_librarian("PATCH", "/api/admin/items/" + poradnik_, R"({"year": "dwa tysiące"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json_body()["error"]["message"].get<std::string>().find("year"), std::string::npos);
  EXPECT_EQ(
      as_librarian("PATCH", "/api/admin/items/" + poradnik_, R"({"source": "/etc/passwd"})").status,
      400);
  EXPECT_EQ(as_librarian("PATCH", "/api/admin/items/nie-ma-takiego", R"({"title": "x"})").status,
            404);
}

// The desk's places go the import's way (one manifest row): a misspelt name is kept, marked for
// the librarian and published nowhere; corrected, it is a place like any other.
TEST_F(LibrariansDesk, AnUnknownPlaceIsTheLibrariansToCorrectAndThenAPlace) {
  const HttpResponse edited = as_librarian("PATCH", "/api/admin/items/" + poradnik_,
                                           R"({"places": "powiat wyszkowski;Atlantyda"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json_body()["places"], json::parse(R"([
      {"name": "powiat wyszkowski", "kind": "powiat", "inferred": false},
      {"name": "Atlantyda", "kind": "powiat", "inferred": false, "unknown": true}])"));
  EXPECT_EQ(as_librarian("GET", "/api/admin/items/" + poradnik_).json_body()["places"],
            edited.json_body()["places"]);
  const std::string page = as_librarian("GET", "/biblioteka/pozycje/" + poradnik_).body;
  EXPECT_NE(page.find("Miejsca spoza rejestru gmin, powiatów i województw: "
                      "<strong>Atlantyda</strong>"),
            std::string::npos)
      << page;
  // The form keeps the name as written, for the librarian to correct.
  EXPECT_NE(page.find("value=\"powiat wyszkowski;Atlantyda\""), std::string::npos);
  ASSERT_TRUE(within(std::chrono::seconds(2), [&] {
    return get(port_, "/api/search?place=powiat+wyszkowski").json_body()["total"] == 1;
  }));
  EXPECT_EQ(get(port_, "/api/search?place=Atlantyda").json_body()["total"], 0);
  EXPECT_EQ(send("GET", "/api/search?place=Atlantyda", bearer(reader_)).json_body()["total"], 0);
  EXPECT_EQ(send("GET", "/api/search?place=Atlantyda", bearer(librarian_)).json_body()["total"], 1);
  EXPECT_EQ(get(port_, "/api/items/" + poradnik_).json_body()["places"].size(), 1u);
  EXPECT_EQ(get(port_, "/api/facets").json_body()["facets"]["place"],
            json::parse(R"([{"value": "powiat wyszkowski", "count": 1}])"));

  const HttpResponse corrected = as_librarian("PATCH", "/api/admin/items/" + poradnik_,
                                              R"({"places": "powiat wyszkowski;Płock"})");
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  EXPECT_EQ(corrected.json_body()["places"][1],
            json::parse(R"({"name": "Płock", "kind": "powiat", "inferred": false})"));
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    return get(port_, "/api/search?place=P%C5%82ock").json_body()["total"] == 1;
  }));
  EXPECT_EQ(as_librarian("GET", "/biblioteka/pozycje/" + poradnik_).body.find("spoza rejestru"),
            std::string::npos);
}

TEST_F(LibrariansDesk, RestrictWithdrawAndRestoreAnItem) {
  // Restricted to a group: gone for visitors, seen by the group's reader.
  const HttpResponse restricted =
      as_librarian("PATCH", "/api/admin/items/" + ulotka_, R"({"access": "gmina-wyszkow"})");
  ASSERT_EQ(restricted.status, 200) << restricted.body;
  EXPECT_TRUE(within(std::chrono::seconds(2),
                     [&] { return get(port_, "/api/items/" + ulotka_).status == 410; }));
  EXPECT_EQ(send("GET", "/api/items/" + ulotka_, bearer(reader_)).status, 200);

  // Withdrawn: 410 for everyone, its slug's page too.
  const std::string slug = as_librarian("GET", "/api/admin/items/" + ulotka_).json_body()["slug"];
  const HttpResponse withdrawn = as_librarian("DELETE", "/api/admin/items/" + ulotka_);
  ASSERT_EQ(withdrawn.status, 202) << withdrawn.body;
  const json job = finished_job(withdrawn.json_body()["job"]);
  EXPECT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["kind"], "withdraw");
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    return send("GET", "/api/items/" + ulotka_, bearer(reader_)).status == 410;
  }));
  EXPECT_EQ(as_librarian("GET", "/api/admin/items/" + ulotka_).status, 410);

  // Restored as it was: same id, slug, title and access.
  const HttpResponse restored = as_librarian("POST", "/api/admin/items/" + ulotka_ + "/restore");
  ASSERT_EQ(restored.status, 202) << restored.body;
  EXPECT_EQ(finished_job(restored.json_body()["job"])["state"], "done");
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    return send("GET", "/api/items/" + ulotka_, bearer(reader_)).status == 200;
  }));
  const json back = send("GET", "/api/items/" + ulotka_, bearer(reader_)).json_body();
  EXPECT_EQ(back["slug"], slug);
  EXPECT_EQ(back["title"], "Ulotka spółdzielni");
  EXPECT_EQ(get(port_, "/api/items/" + ulotka_).status, 410);  // still the group's alone
  EXPECT_EQ(as_librarian("POST", "/api/admin/items/" + ulotka_ + "/restore").status, 409);

  std::vector<std::string> actions;
  for (const json& entry : new_audit()) actions.push_back(entry["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"restore", "withdraw", "edit"}));
}

TEST_F(LibrariansDesk, ReaderTokensAreIssuedListedAndRevoked) {
  const HttpResponse made = as_librarian("POST", "/api/admin/tokens",
                                         R"({"label": "MOPS Płock", "groups": ["gmina-wyszkow"]})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string token = made.json_body()["token"];
  const std::string id = made.json_body()["id"];
  // A new token works at once, and a revoked one is refused at once.
  EXPECT_EQ(send("GET", "/api/search?q=poradnik", bearer(token)).status, 200);
  const json listed = as_librarian("GET", "/api/admin/tokens").json_body();
  bool found = false;
  for (const json& entry : listed) {
    EXPECT_FALSE(entry.contains("token"));       // the secret is shown once
    EXPECT_NE(entry["label"], "Anna Kowalska");  // librarians' tokens are not a reader's list
    found = found || entry["id"] == id;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(as_librarian("POST", "/api/admin/tokens", R"({"label": "", "groups": []})").status,
            400);
  EXPECT_EQ(as_librarian("DELETE", "/api/admin/tokens/" + id).status, 200);
  EXPECT_EQ(send("GET", "/api/search?q=poradnik", bearer(token)).status, 401);
  // The librarian's own token cannot be revoked from the desk.
  EXPECT_EQ(as_librarian("DELETE", "/api/admin/tokens/" + librarian_.substr(4, 12)).status, 404);
  const json audit = new_audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0]["action"], "token_revoke");
  EXPECT_EQ(audit[1]["action"], "token_create");
}

TEST_F(LibrariansDesk, TheDeskAndTheCommandLineTakeTurnsAndSaySo) {
  {
    // Another program holds the index: the desk's job waits, and says so.
    IndexWriter holder(db().string());
    const HttpResponse withdrawn = as_librarian("DELETE", "/api/admin/items/" + poradnik_);
    ASSERT_EQ(withdrawn.status, 202);
    const std::string job = withdrawn.json_body()["job"];
    EXPECT_TRUE(within(std::chrono::seconds(5), [&] {
      return as_librarian("GET", "/api/admin/jobs/" + job).json_body()["waiting"] == true;
    }));
    EXPECT_EQ(as_librarian("GET", "/api/admin/jobs/" + job).json_body()["state"], "running");
  }
  // Released: the job goes on.
  EXPECT_TRUE(within(std::chrono::seconds(5),
                     [&] { return get(port_, "/api/items/" + poradnik_).status == 410; }));

  // A desk edit and a command-line import at once: neither loses the other's work.
  write_file(in_ / "titles.csv", "source,title\nulotka.pdf,Ulotka z wiersza poleceń\n");
  const HttpResponse restored = as_librarian("POST", "/api/admin/items/" + poradnik_ + "/restore");
  ASSERT_EQ(restored.status, 202);
  const CommandRun cli =
      index("import --db " + quoted(db()) + " --manifest " + quoted(in_ / "titles.csv"));
  EXPECT_EQ(cli.status, 0) << cli.err;
  EXPECT_EQ(finished_job(restored.json_body()["job"])["state"], "done");
  const HttpResponse edited = as_librarian("PATCH", "/api/admin/items/" + poradnik_,
                                           R"({"title": "Poradnik po przywróceniu"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    return get(port_, "/api/items/" + poradnik_).json_body().value("title", "") ==
               "Poradnik po przywróceniu" &&
           get(port_, "/api/items/" + ulotka_).json_body().value("title", "") ==
               "Ulotka z wiersza poleceń";
  }));
  // The command line's change is in the audit trail too, as its user's.
  bool from_cli = false;
  for (const json& entry : as_librarian("GET", "/api/admin/audit").json_body())
    from_cli = from_cli || (entry["token_id"].is_null() && entry["item"] == ulotka_ &&
                            entry["action"] == "edit");
  EXPECT_TRUE(from_cli);
  // And the command line's imports are listed beside the desk's jobs.
  const json jobs = as_librarian("GET", "/api/admin/jobs").json_body();
  EXPECT_GE(jobs["jobs"].size(), 3u);
  EXPECT_GE(jobs["runs"].size(), 2u);
}

TEST_F(LibrariansDesk, TheCommandLineWaitsForTheDeskAndSaysSo) {
  CommandRun cli;
  std::atomic<bool> ended{false};
  std::thread run;
  {
    IndexWriter holder(db().string());  // as a desk job does while it writes
    run = std::thread([&] {
      cli = index("remove --db " + quoted(db()) + " " + ulotka_);
      ended = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_FALSE(ended.load());  // waiting, not failing
  }
  run.join();
  EXPECT_EQ(cli.status, 0) << cli.err;
  EXPECT_NE(cli.err.find("waiting: another program is writing the index"), std::string::npos)
      << cli.err;
  EXPECT_TRUE(within(std::chrono::seconds(2),
                     [&] { return get(port_, "/api/items/" + ulotka_).status == 410; }));
}

TEST_F(LibrariansDesk, AFileIsAddedAndAnotherReplacesItKeepingItsLinks) {
  // A PDF uploaded with its fields: an item, found by search within 2 s of its job's end.
  const std::string pdf = read_file(in_ / "poradnik.pdf");
  const HttpResponse added =
      upload("/api/admin/items", multipart({{"title", "Przewodnik dla wolontariuszy"},
                                            {"campaign", "Wolontariat"},
                                            {"year", "2021"},
                                            {"access", "gmina-wyszkow"}},
                                           {{"file", "../../etc/Przewodnik (wersja 2).PDF", pdf}}));
  ASSERT_EQ(added.status, 202) << added.body;
  const json job = finished_job(added.json_body()["job"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  const std::string id = job["item"];
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(job["report"]["new"].size(), 1u);
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    return send("GET", "/api/search?q=przewodnik", bearer(reader_)).json_body()["total"] == 1;
  }));
  EXPECT_EQ(get(port_, "/api/search?q=przewodnik").json_body()["total"], 0);  // restricted
  const json item = as_librarian("GET", "/api/admin/items/" + id).json_body();
  EXPECT_EQ(item["title"], "Przewodnik dla wolontariuszy");
  EXPECT_EQ(item["year"], 2021);
  // The client's file name chose no path: the file is in the desk's folder, named safely.
  bool kept = false;
  for (const auto& entry : fs::recursive_directory_iterator(db().string() + "-desk/files"))
    kept = kept || entry.path().filename() == "przewodnik-wersja-2.pdf";
  EXPECT_TRUE(kept);
  EXPECT_TRUE(fs::is_empty(db().string() + "-desk/incoming"));

  // Replaced by another file: the same id and slug, the new text, the fields kept.
  const HttpResponse replaced =
      upload("/api/admin/items/" + id + "/replace",
             multipart({}, {{"file", "ulotka-nowa.pdf", read_file(in_ / "ulotka.pdf")}}));
  ASSERT_EQ(replaced.status, 202) << replaced.body;
  EXPECT_EQ(finished_job(replaced.json_body()["job"])["state"], "done");
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    const json found = send("GET", "/api/search?q=ekonomii", bearer(reader_)).json_body();
    for (const json& hit : found["hits"])
      if (hit["id"] == id) return true;
    return false;
  }));
  const json after = as_librarian("GET", "/api/admin/items/" + id).json_body();
  EXPECT_EQ(after["slug"], item["slug"]);
  EXPECT_EQ(after["title"], "Przewodnik dla wolontariuszy");

  // A kind of file the archive does not import is refused at once, leaving nothing behind.
  const HttpResponse refused =
      upload("/api/admin/items", multipart({{"title", "Skrypt"}}, {{"file", "x.sh", "echo"}}));
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(fs::is_empty(db().string() + "-desk/incoming"));
  std::vector<std::string> actions;
  for (const json& entry : new_audit()) actions.push_back(entry["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"replace", "add"}));
}

TEST_F(LibrariansDesk, AManifestIsPreviewedThenApplied) {
  // The desk may read files under [desk] import_roots only.
  const fs::path config = folder_.path() / "mediateka.toml";
  write_file(config, "[desk]\nimport_roots = [\"" + in_.string() + "\"]\n");
  server_.reset();
  server_ = std::make_unique<ServerProcess>(db(), std::vector<std::string>{}, config);
  port_ = server_->wait_until_listening();
  ASSERT_GT(port_, 0);
  const std::string manifest =
      "source;title;access;year\n"
      "poradnik.pdf;Poradnik wolontariusza – wydanie 2;;\n"
      "ulotka.pdf;;gmina-wyszkow;\n"
      "/etc/passwd;Hasła;;\n"
      "ulotka.pdf;Zła;;dwa\n";
  HttpResponse sent = upload("/api/admin/imports",
                             multipart({{"dry_run", "1"}}, {{"manifest", "zmiany.csv", manifest}}));
  ASSERT_EQ(sent.status, 202) << sent.body;
  json preview = finished_job(sent.json_body()["job"]);
  EXPECT_EQ(preview["kind"], "preview");
  // The manifest has an error of its own (year "dwa", line 5): named, and nothing applies.
  bool year_error = false;
  for (const json& error : preview["report"]["errors"])
    year_error = year_error || (error["line"] == 5 && error["message"].get<std::string>().find(
                                                          "year") != std::string::npos);
  EXPECT_TRUE(year_error) << preview.dump(2);

  const std::string good =
      "source;title;access\n"
      "poradnik.pdf;Poradnik wolontariusza – wydanie 2;\n"
      "ulotka.pdf;;gmina-wyszkow\n"
      "/etc/passwd;Hasła;\n";
  sent = upload("/api/admin/imports",
                multipart({{"dry_run", "1"}}, {{"manifest", "zmiany.csv", good}}));
  preview = finished_job(sent.json_body()["job"]);
  ASSERT_EQ(preview["state"], "done") << preview.dump(2);
  const json& plan = preview["report"];
  ASSERT_EQ(plan["changed"].size(), 2u) << plan.dump(2);
  EXPECT_EQ(plan["access_changes"].size(), 1u);
  EXPECT_EQ(plan["access_changes"][0]["new"], "gmina-wyszkow");
  ASSERT_EQ(plan["errors"].size(), 1u);
  EXPECT_EQ(plan["errors"][0]["line"], 4);
  EXPECT_EQ(plan["errors"][0]["source"], "/etc/passwd");
  // A preview changes nothing.
  EXPECT_EQ(get(port_, "/api/items/" + poradnik_).json_body()["title"], "Poradnik wolontariusza");

  sent = upload("/api/admin/imports",
                multipart({{"dry_run", "0"}}, {{"manifest", "zmiany.csv", good}}));
  const json applied = finished_job(sent.json_body()["job"]);
  EXPECT_EQ(applied["kind"], "import");
  EXPECT_EQ(applied["report"]["totals"]["updated"], 2);
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    return get(port_, "/api/items/" + poradnik_).json_body().value("title", "") ==
               "Poradnik wolontariusza – wydanie 2" &&
           get(port_, "/api/items/" + ulotka_).status == 410;
  }));
  EXPECT_EQ(new_audit().size(), 2u);  // two items changed, nothing for the refused row
}

TEST_F(LibrariansDesk, TheSynonymsFileIsEditedAndSearchedWith) {
  // A server whose configuration names a synonyms file (not there yet).
  const fs::path synonyms = folder_.path() / "synonimy.csv";
  const fs::path config = folder_.path() / "mediateka.toml";
  write_file(config, "[search]\nsynonyms = \"" + synonyms.string() + "\"\n");
  server_.reset();
  server_ = std::make_unique<ServerProcess>(db(), std::vector<std::string>{}, config);
  port_ = server_->wait_until_listening();
  ASSERT_GT(port_, 0);

  const HttpResponse bad = send("PUT", "/api/admin/synonyms", bearer(librarian_),
                                "term,equivalent\n\"niedomknięty,cudzysłów\n", "text/csv");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_FALSE(fs::exists(synonyms));  // a wrong file is not written
  const std::string csv = "term,equivalent\nPDS,poradnik dobrego sąsiada\n";
  const HttpResponse put = send("PUT", "/api/admin/synonyms", bearer(librarian_), csv, "text/csv");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(as_librarian("GET", "/api/admin/synonyms").body, csv);
  EXPECT_EQ(new_audit()[0]["action"], "synonyms");
  // The poradnik is retitled so that the full name is in it, and the acronym then finds it.
  ASSERT_EQ(as_librarian("PATCH", "/api/admin/items/" + poradnik_,
                         R"({"title": "Poradnik dobrego sąsiada"})")
                .status,
            200);
  EXPECT_TRUE(within(std::chrono::seconds(3), [&] {
    const json found = get(port_, "/api/search?q=PDS").json_body();
    return found["total"] == 1 && found.contains("expanded");
  }));
}

}  // namespace
}  // namespace mediateka::test
