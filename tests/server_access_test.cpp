// Restricted materials end to end: an archive of public items and items of two groups, imported
// by mediateka-index from a manifest with an `access` column, tokens made with `token create`,
// and mediateka-server asked through every channel with no, wrong, expired, revoked, other-group
// and right credentials. The restricted items hold words found nowhere else; none of them, nor
// their ids, slugs, counts or files, may reach anyone outside their group.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "archive/access/access_tokens.h"
#include "media_test_support.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

using nlohmann::json;

const char* const kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// Words that occur in one restricted item each and nowhere else.
const char* const kLeadersWord = "kwadrofoniczna";  // liderzy-kooperacji
const char* const kOlsztynWord = "heliotropowy";    // rops-olsztyn
const char* const kLeadersProject = "Poufny projekt Liderów";

struct CommandRun {
  int status = -1;
  std::string out, err;
};

struct Credentials {
  std::string name;
  std::string header;  // "" or "Authorization: Bearer ...\r\n" or "Cookie: ...\r\n"
};

class RestrictedMaterials : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (python_with_reportlab().empty() || !fs::exists(kDejaVu)) return;
    archive_ = new TemporaryFolder("server_access_test.");
    const fs::path in = archive_->path() / "in";
    fs::create_directories(in);
    const std::string script = R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont('DejaVu', ')" +
                               std::string(kDejaVu) + R"('))
def pdf(name, text):
    c = canvas.Canvas(')" + in.string() +
                               R"(/' + name, invariant=1)
    c.setFont('DejaVu', 12)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
pdf('poradnik.pdf', 'Poradnik o wolontariacie i pomocy sąsiedzkiej dla każdego.')
pdf('raport-liderow.pdf', 'Ekspertyza )" +
                               kLeadersWord + R"( o pomocy sąsiedzkiej w gminach partnerskich.')
pdf('notatka-olsztyn.pdf', 'Notatka o wolontariacie: zespół )" +
                               kOlsztynWord + R"( w Olsztynie.')
)";
    ASSERT_TRUE(run_python(archive_->path(), script));
    write_file(in / "manifest.csv",
               "source,title,project,access\n"
               "poradnik.pdf,Poradnik wolontariusza,,\n"
               "raport-liderow.pdf,Raport " +
                   std::string(kLeadersWord) + "," + kLeadersProject +
                   ",liderzy-kooperacji\n"
                   "notatka-olsztyn.pdf,Notatka " +
                   kOlsztynWord + ",,rops-olsztyn\n");
    const CommandRun imported =
        index("import --db " + quoted(db()) + " --manifest " + quoted(in / "manifest.csv"));
    ASSERT_EQ(imported.status, 0) << imported.err;

    leaders_token_ = token("create --group liderzy-kooperacji --label 'Gmina Wyszków'");
    olsztyn_token_ = token("create --group rops-olsztyn --label 'ROPS Olsztyn'");
    // mediateka-index refuses an expiry already past; made as it would have been on 2019-12-01.
    expired_token_ =
        create_token(db().string(), {"liderzy-kooperacji"}, "Stary", "2020-01-01", 1575158400)
            .token;
    const json revoked = json::parse(
        index("token create --db " + quoted(db()) + " --group liderzy-kooperacji --label Cofnięty")
            .out);
    revoked_token_ = revoked["token"];
    ASSERT_EQ(
        index("token revoke --db " + quoted(db()) + " " + revoked["id"].get<std::string>()).status,
        0);
  }
  static void TearDownTestSuite() {
    delete archive_;
    archive_ = nullptr;
  }

  void SetUp() override {
    if (!archive_) GTEST_SKIP() << "python3-reportlab or fonts-dejavu-core is not installed";
    server_ = std::make_unique<ServerProcess>(db());
    port_ = server_->wait_until_listening();
    ASSERT_GT(port_, 0);
  }

  static fs::path db() { return archive_->path() / "db"; }

  static CommandRun index(const std::string& arguments) {
    CommandRun run;
    const fs::path out = archive_->path() / "stdout", err = archive_->path() / "stderr";
    const int status = std::system((std::string(MEDIATEKA_INDEX_BIN) + " " + arguments + " >" +
                                    quoted(out) + " 2>" + quoted(err))
                                       .c_str());
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_file(out);
    run.err = read_file(err);
    return run;
  }

  static std::string token(const std::string& arguments) {
    const CommandRun made = index("token " + arguments + " --db " + quoted(db()));
    EXPECT_EQ(made.status, 0) << made.err;
    return json::parse(made.out)["token"];
  }

  HttpResponse send(const std::string& method, const std::string& target,
                    const std::string& headers = "", const std::string& body = "") {
    std::string raw =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers;
    if (!body.empty())
      raw += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n";
    raw += "\r\n" + body;
    const auto responses = parse_responses(exchange(port_, raw, std::chrono::seconds(10), 1));
    if (responses.empty()) {
      ADD_FAILURE() << "no response to " << method << ' ' << target;
      return {};
    }
    return responses.front();
  }

  static std::string bearer(const std::string& token) {
    return "Authorization: Bearer " + token + "\r\n";
  }

  // Everything a visitor can ask for, as one text, for a credential.
  std::string every_channel(const Credentials& who, const json& ids, const json& slugs) {
    std::string seen;
    const auto take = [&](const std::string& target) {
      const HttpResponse response = send("GET", target, who.header);
      seen += target + " " + std::to_string(response.status) + "\n" + response.body + "\n";
      return response;
    };
    for (const char* q : {"", "pomocy", "wolontariat", kLeadersWord, kOlsztynWord, "kwadrofoniczn*",
                          "heliotrop*", "kwadrofonicna", "heliotropowi"})
      take(std::string("/api/search?per_page=100&q=") + q);
    take("/api/facets");
    for (const char* prefix : {"kwadr", "helio", "rap", "not", "po"})
      take(std::string("/api/suggest?q=") + prefix);
    take("/healthz");
    take("/metrics");
    take("/?q=pomocy");
    for (const auto& id : ids) {
      take("/api/items/" + id.get<std::string>());
      take("/files/" + id.get<std::string>());
      take("/thumbs/" + id.get<std::string>());
      take("/i/" + id.get<std::string>());
    }
    for (const auto& slug : slugs) {
      take("/i/" + slug.get<std::string>());
      take("/i/" + slug.get<std::string>() + "/captions.vtt");
    }
    return seen;
  }

  static TemporaryFolder* archive_;
  static std::string leaders_token_, olsztyn_token_, expired_token_, revoked_token_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TemporaryFolder* RestrictedMaterials::archive_ = nullptr;
std::string RestrictedMaterials::leaders_token_, RestrictedMaterials::olsztyn_token_,
    RestrictedMaterials::expired_token_, RestrictedMaterials::revoked_token_;

TEST_F(RestrictedMaterials, StatsCountRestrictedItemsByGroup) {
  const CommandRun stats = index("stats --json --db " + quoted(db()));
  ASSERT_EQ(stats.status, 0) << stats.err;
  const json counts = json::parse(stats.out);
  EXPECT_EQ(counts["items"], 3);
  EXPECT_EQ(counts["restricted"], 2);
  EXPECT_EQ(counts["by_access"], (json{{"liderzy-kooperacji", 1}, {"rops-olsztyn", 1}}));

  // `token list` never prints a token.
  const CommandRun list = index("token list --json --db " + quoted(db()));
  ASSERT_EQ(list.status, 0) << list.err;
  EXPECT_EQ(json::parse(list.out).size(), 3u);  // the revoked one is gone
  for (const std::string& token : {leaders_token_, olsztyn_token_, expired_token_})
    EXPECT_EQ(list.out.find(token.substr(17)), std::string::npos);
}

TEST_F(RestrictedMaterials, NoChannelLeaksToOthers) {
  // The right token sees everything: the ids and slugs of all three items.
  json ids = json::array(), slugs = json::array();
  {
    const HttpResponse everything = send("GET", "/api/search?per_page=100", bearer(leaders_token_));
    ASSERT_EQ(everything.status, 200);
    EXPECT_EQ(everything.json_body()["total"], 2);  // public + its own group
    const HttpResponse olsztyn = send("GET", "/api/search?per_page=100", bearer(olsztyn_token_));
    for (const HttpResponse* response : {&everything, &olsztyn}) {
      const json body = response->json_body();
      for (const json& hit : body["hits"]) {
        if (std::find(ids.begin(), ids.end(), hit["id"]) != ids.end()) continue;
        ids.push_back(hit["id"]);
        slugs.push_back(hit["slug"]);
      }
    }
    ASSERT_EQ(ids.size(), 3u);
  }
  std::string leaders_id, leaders_slug, olsztyn_id, olsztyn_slug;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const json item =
        send("GET", "/api/items/" + ids[i].get<std::string>(), bearer(leaders_token_)).status == 200
            ? send("GET", "/api/items/" + ids[i].get<std::string>(), bearer(leaders_token_))
                  .json_body()
            : send("GET", "/api/items/" + ids[i].get<std::string>(), bearer(olsztyn_token_))
                  .json_body();
    if (item.value("access", json::array()) == json::array({"liderzy-kooperacji"})) {
      leaders_id = ids[i];
      leaders_slug = slugs[i];
    } else if (item.value("access", json::array()) == json::array({"rops-olsztyn"})) {
      olsztyn_id = ids[i];
      olsztyn_slug = slugs[i];
    }
  }
  ASSERT_FALSE(leaders_id.empty());
  ASSERT_FALSE(olsztyn_id.empty());

  const std::vector<std::string> leaders_secrets = {kLeadersWord, kLeadersProject, leaders_id,
                                                    leaders_slug};
  const std::vector<std::string> olsztyn_secrets = {kOlsztynWord, olsztyn_id, olsztyn_slug};

  const Credentials anonymous{"anonymous", ""};
  const Credentials leaders{"liderzy-kooperacji", bearer(leaders_token_)};
  const Credentials olsztyn{"rops-olsztyn", bearer(olsztyn_token_)};

  const std::string anonymous_view = every_channel(anonymous, ids, slugs);
  const std::string leaders_view = every_channel(leaders, ids, slugs);
  const std::string olsztyn_view = every_channel(olsztyn, ids, slugs);
  // The answer that holds `secret`, after the target it answered, or "". An answer to a target
  // that names the secret itself may echo it (the query, the id not found): what the asker
  // typed is not a leak, and those answers are checked by their totals below.
  const auto leaks = [](const std::string& view, const std::string& secret) -> std::string {
    std::istringstream lines(view);
    std::string target;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("/", 0) == 0) {
        target = line;
      } else if (line.find(secret) != std::string::npos &&
                 target.find(secret) == std::string::npos) {
        return target + " → " + line.substr(0, 300);
      }
    }
    return "";
  };
  for (const std::string& secret : leaders_secrets) {
    EXPECT_EQ(leaks(anonymous_view, secret), "") << "anonymous sees " << secret;
    EXPECT_EQ(leaks(olsztyn_view, secret), "") << "rops-olsztyn sees " << secret;
    EXPECT_NE(leaks(leaders_view, secret), "") << "liderzy-kooperacji misses " << secret;
  }
  for (const std::string& secret : olsztyn_secrets) {
    EXPECT_EQ(leaks(anonymous_view, secret), "") << "anonymous sees " << secret;
    EXPECT_EQ(leaks(leaders_view, secret), "") << "liderzy-kooperacji sees " << secret;
    EXPECT_NE(leaks(olsztyn_view, secret), "") << "rops-olsztyn misses " << secret;
  }

  // A restricted word finds its item for the group only.
  for (const auto& [word, group_token, other_token] :
       {std::tuple{kLeadersWord, leaders_token_, olsztyn_token_},
        std::tuple{kOlsztynWord, olsztyn_token_, leaders_token_}}) {
    const std::string target = std::string("/api/search?q=") + word;
    EXPECT_EQ(send("GET", target).json_body()["total"], 0) << word;
    EXPECT_EQ(send("GET", target, bearer(other_token)).json_body()["total"], 0) << word;
    EXPECT_EQ(send("GET", target, bearer(group_token)).json_body()["total"], 1) << word;
  }

  // Counts: totals, facets and health count what each may see.
  EXPECT_EQ(send("GET", "/healthz").json_body()["items"], 1);
  EXPECT_EQ(send("GET", "/healthz", bearer(leaders_token_)).json_body()["items"], 2);
  EXPECT_EQ(send("GET", "/api/facets").json_body()["total"], 1);
  for (const std::string& target : {"/api/items/" + leaders_id, "/files/" + leaders_id,
                                    "/thumbs/" + leaders_id, "/i/" + leaders_slug}) {
    EXPECT_EQ(send("GET", target).status, 404) << target;
    EXPECT_EQ(send("GET", target, bearer(olsztyn_token_)).status, 404) << target;
    const HttpResponse allowed = send("GET", target, bearer(leaders_token_));
    EXPECT_EQ(allowed.status, 200) << target;
    EXPECT_EQ(allowed.header("cache-control"), "private, no-store") << target;
  }
  // Public answers keep their caching; answers to a token holder are never cached.
  EXPECT_NE(send("GET", "/static/style.css").header("cache-control").find("public"),
            std::string::npos);
  EXPECT_EQ(send("GET", "/api/search?q=pomocy", bearer(leaders_token_)).header("cache-control"),
            "private, no-store");
}

TEST_F(RestrictedMaterials, WrongExpiredAndRevokedTokensAre401) {
  for (const std::string& token : {expired_token_, revoked_token_, std::string("mtk_nonsense"),
                                   leaders_token_.substr(0, leaders_token_.size() - 2) + "xx"}) {
    const HttpResponse refused = send("GET", "/api/search?q=pomocy", bearer(token));
    EXPECT_EQ(refused.status, 401) << token;
    EXPECT_EQ(refused.json_body()["error"]["code"], "unauthorized");
    EXPECT_EQ(refused.body.find(kLeadersWord), std::string::npos);
  }
  EXPECT_EQ(send("GET", "/api/search?q=pomocy", "Authorization: Basic YTpi\r\n").status, 401);
}

TEST_F(RestrictedMaterials, RepeatedFailuresAreSlowedDown) {
  int last = 0;
  for (int attempt = 0; attempt < 8; ++attempt)
    last = send("GET", "/healthz", bearer("mtk_000000000000_wrong")).status;
  EXPECT_EQ(last, 429);
  // Even the right token waits while the address is slowed down; anonymous visitors do not.
  const HttpResponse waiting = send("GET", "/healthz", bearer(leaders_token_));
  EXPECT_EQ(waiting.status, 429);
  EXPECT_FALSE(waiting.header("retry-after").empty());
  EXPECT_EQ(send("GET", "/healthz").status, 200);
}

TEST_F(RestrictedMaterials, LoginPageSetsASessionCookieAndLogoutEndsIt) {
  const HttpResponse page = send("GET", "/logowanie");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<label for=\"token\">Token dostępu</label>"), std::string::npos);

  const HttpResponse wrong = send("POST", "/logowanie", "", "token=mtk_zly");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("Nieprawidłowy"), std::string::npos);

  const HttpResponse login = send("POST", "/logowanie", "", "token=" + olsztyn_token_);
  EXPECT_EQ(login.status, 303);
  EXPECT_EQ(login.header("location"), "/");
  const std::string set_cookie = login.header("set-cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << set_cookie;  // plain HTTP here
  const std::string cookie = "Cookie: " + set_cookie.substr(0, set_cookie.find(';')) + "\r\n";

  const HttpResponse found = send("GET", std::string("/api/search?q=") + kOlsztynWord, cookie);
  EXPECT_EQ(found.status, 200);
  EXPECT_EQ(found.json_body()["total"], 1);
  EXPECT_EQ(found.header("cache-control"), "private, no-store");

  // X-Forwarded-Proto is believed only from a trusted proxy, which this server has none of
  // (server_proxy_test.cpp has one): anyone could send it.
  const HttpResponse claimed =
      send("POST", "/logowanie", "X-Forwarded-Proto: https\r\n", "token=" + olsztyn_token_);
  EXPECT_EQ(claimed.status, 303);
  EXPECT_EQ(claimed.header("set-cookie").find("; Secure"), std::string::npos);

  const HttpResponse signed_in = send("GET", "/logowanie", cookie);
  EXPECT_NE(signed_in.body.find("Jesteś zalogowany"), std::string::npos);
  EXPECT_NE(signed_in.body.find("<strong>rops-olsztyn</strong>"), std::string::npos);
  EXPECT_EQ(signed_in.header("cache-control"), "private, no-store");

  const HttpResponse logout = send("POST", "/wyloguj", cookie);
  EXPECT_EQ(logout.status, 303);
  EXPECT_NE(logout.header("set-cookie").find("Max-Age=0"), std::string::npos);
}

TEST_F(RestrictedMaterials, ATokenRevokedWhileTheServerRunsStopsWithinTwoSeconds) {
  const json made = json::parse(
      index("token create --db " + quoted(db()) + " --group rops-olsztyn --label Tymczasowy").out);
  const std::string token = made["token"];
  // A new token works without a restart, like a commit, within 2 s (asked once, as a wrong
  // token asked again and again would be slowed down).
  std::this_thread::sleep_for(std::chrono::seconds(2));
  int status = send("GET", "/healthz", bearer(token)).status;
  ASSERT_EQ(status, 200);

  ASSERT_EQ(index("token revoke --db " + quoted(db()) + " " + made["id"].get<std::string>()).status,
            0);
  const auto revoked = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - revoked < std::chrono::seconds(2)) {
    status = send("GET", "/healthz", bearer(token)).status;
    if (status == 401) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 401);
}

// A changed `access` on re-import takes effect with the same id: public → restricted → public.
TEST(RestrictedMaterialsImport, AChangedAccessTakesEffectWithTheSameId) {
  if (python_with_reportlab().empty() || !fs::exists(kDejaVu))
    GTEST_SKIP() << "python3-reportlab or fonts-dejavu-core is not installed";
  TemporaryFolder dir("server_access_test.");
  const fs::path in = dir.path() / "in", db = dir.path() / "db";
  fs::create_directories(in);
  ASSERT_TRUE(run_python(dir.path(),
                         "from reportlab.pdfgen import canvas\n"
                         "c = canvas.Canvas('" +
                             (in / "a.pdf").string() +
                             "')\n"
                             "c.drawString(72, 720, 'Sprawozdanie roczne')\n"
                             "c.showPage()\nc.save()\n"));
  const auto import_with = [&](const std::string& access) {
    write_file(in / "manifest.csv", "source,access\na.pdf," + access + "\n");
    const std::string command = std::string(MEDIATEKA_INDEX_BIN) + " import --quiet --db " +
                                quoted(db) + " --report " + quoted(dir.path() / "report.json") +
                                " --manifest " + quoted(in / "manifest.csv") + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << access;
    const json report = json::parse(read_file(dir.path() / "report.json"));
    const std::string stats_command = std::string(MEDIATEKA_INDEX_BIN) + " stats --json --db " +
                                      quoted(db) + " > " + quoted(dir.path() / "stats.json");
    EXPECT_EQ(std::system(stats_command.c_str()), 0);
    return std::pair{report, json::parse(read_file(dir.path() / "stats.json"))};
  };
  const auto [first, first_stats] = import_with("");
  const std::string id = first["items"][0]["id"];
  EXPECT_EQ(first_stats["restricted"], 0);

  const auto [restricted, restricted_stats] = import_with("liderzy-kooperacji");
  EXPECT_EQ(restricted["items"][0]["status"], "updated");
  EXPECT_EQ(restricted["items"][0]["id"], id);
  EXPECT_EQ(restricted_stats["restricted"], 1);
  EXPECT_EQ(restricted_stats["by_access"]["liderzy-kooperacji"], 1);

  const auto [again, again_stats] = import_with("liderzy-kooperacji");
  EXPECT_EQ(again["items"][0]["status"], "unchanged");

  const auto [public_again, public_stats] = import_with("public");
  EXPECT_EQ(public_again["items"][0]["status"], "updated");
  EXPECT_EQ(public_again["items"][0]["id"], id);
  EXPECT_EQ(public_stats["restricted"], 0);
}

}  // namespace
}  // namespace mediateka::test
