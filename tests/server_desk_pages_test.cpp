// The desk's pages (/biblioteka, search-server/desk/desk_pages.h) without JavaScript: who may see
// them, the CSRF token every form needs, and the flows a librarian goes through in a browser –
// correct a title, withdraw and restore, make and revoke a reader's token, preview a manifest and
// apply it – each a form POST answered 303 to a job's page, the change then seen by search.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "media_test_support.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

using nlohmann::json;

const char* const kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

std::string form_encoded(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += name + '=';
    for (unsigned char c : value) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        out += static_cast<char>(c);
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        out += hex;
      }
    }
  }
  return out;
}

class DeskPages : public ::testing::Test {
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
pdf('broszura.pdf', 'Broszura o mieszkaniach chronionych.')
)";
    ASSERT_TRUE(run_python(folder_.path(), script));
    write_file(in_ / "manifest.csv",
               "source,title,campaign,year\n"
               "poradnik.pdf,Poradnik wolontariusza,Wolontariat,2019\n"
               "ulotka.pdf,Ulotka spółdzielni,Ekonomia społeczna,2020\n");
    ASSERT_EQ(index("import --db " + quoted(db()) + " --manifest " + quoted(in_ / "manifest.csv")),
              0);
    librarian_ = token("create --role librarian --label 'Anna Kowalska'");
    reader_ = token("create --group gmina-wyszkow --label 'Gmina Wyszków'");
    // The repository's configuration, with the folder a manifest's files may come from.
    const fs::path config = folder_.path() / "mediateka.toml";
    write_file(config, read_file(fs::path(MEDIATEKA_SOURCE_DIR) / "config/mediateka.toml") +
                           "\n[desk]\nimport_roots = [\"" + in_.string() + "\"]\n");
    server_ = std::make_unique<ServerProcess>(db(), std::vector<std::string>{}, config);
    port_ = server_->wait_until_listening();
    ASSERT_GT(port_, 0);
    poradnik_ = id_titled("Poradnik wolontariusza");
    ulotka_ = id_titled("Ulotka spółdzielni");
    ASSERT_FALSE(poradnik_.empty());
    ASSERT_FALSE(ulotka_.empty());
    csrf_ = csrf_of(as_librarian("GET", "/biblioteka/tokeny").body);
    ASSERT_FALSE(csrf_.empty());
  }

  fs::path db() const { return folder_.path() / "db"; }

  int index(const std::string& arguments, std::string* out = nullptr) const {
    const fs::path stdout_file = folder_.path() / "stdout";
    const int status = std::system((std::string(MEDIATEKA_INDEX_BIN) + " " + arguments + " >" +
                                    quoted(stdout_file) + " 2>/dev/null")
                                       .c_str());
    if (out) *out = read_file(stdout_file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string token(const std::string& arguments) const {
    std::string out;
    EXPECT_EQ(index("token " + arguments + " --db " + quoted(db()), &out), 0);
    return json::parse(out)["token"];
  }

  static std::string cookie(const std::string& token) {
    return "Cookie: mediateka_session=" + token + "\r\n";
  }

  HttpResponse send(const std::string& method, const std::string& target,
                    const std::string& headers = "", const std::string& body = "") const {
    std::string raw = method + " " + target +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept: "
                      "text/html\r\n" +
                      headers;
    if (method == "POST")
      raw += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n";
    raw += "\r\n" + body;
    const auto responses = parse_responses(exchange(port_, raw, std::chrono::seconds(90), 1));
    if (responses.empty()) {
      ADD_FAILURE() << "no response to " << method << ' ' << target;
      return {};
    }
    return responses.front();
  }

  // A librarian in a browser: the session cookie.
  HttpResponse as_librarian(const std::string& method, const std::string& target,
                            const std::string& body = "") const {
    return send(method, target, cookie(librarian_), body);
  }

  // A form of the desk sent as a browser sends it, with the session's CSRF token.
  HttpResponse submit(const std::string& target,
                      std::vector<std::pair<std::string, std::string>> fields) const {
    fields.emplace_back("csrf", csrf_);
    return as_librarian("POST", target, form_encoded(fields));
  }

  static std::string csrf_of(const std::string& html) {
    static const std::regex field(R"re(name="csrf" value="([^"]+)")re");
    std::smatch found;
    return std::regex_search(html, found, field) ? found[1].str() : "";
  }

  std::string id_titled(const std::string& title) const {
    const json found = get(port_, "/api/search?per_page=10&q=" +
                                      form_encoded({{"", "title:\"" + title + "\""}}).substr(1))
                           .json_body();
    for (const json& hit : found["hits"])
      if (hit["title"] == title) return hit["id"];
    return "";
  }

  // The job a 303 sends to, followed until it ends; its page.
  std::string finished_job_page(const HttpResponse& answer) const {
    EXPECT_EQ(answer.status, 303) << answer.body.substr(0, 600);
    const std::string location = answer.header("location");
    EXPECT_EQ(location.rfind("/biblioteka/zadania/", 0), 0u) << location;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::string page;
    while (std::chrono::steady_clock::now() < deadline) {
      const HttpResponse job = as_librarian("GET", location);
      EXPECT_EQ(job.status, 200);
      page = job.body;
      if (page.find("data-state=\"done\"") != std::string::npos ||
          page.find("data-state=\"failed\"") != std::string::npos)
        return page;
      // While it runs, the page reloads itself without JavaScript.
      EXPECT_NE(page.find("http-equiv=\"refresh\""), std::string::npos);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << location << " did not end";
    return page;
  }

  template <class Condition>
  static bool within(std::chrono::milliseconds limit, Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
  }

  TemporaryFolder folder_{"server_desk_pages_test."};
  fs::path in_;
  std::string librarian_, reader_, poradnik_, ulotka_, csrf_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(DeskPages, OnlyLibrariansSeeThePagesAndEveryFormNeedsTheCsrfToken) {
  const std::vector<std::string> pages = {"/biblioteka",
                                          "/biblioteka?q=poradnik",
                                          "/biblioteka/dodaj",
                                          "/biblioteka/import",
                                          "/biblioteka/pozycje/" + poradnik_,
                                          "/biblioteka/pozycje/" + poradnik_ + "/wycofaj",
                                          "/biblioteka/tokeny",
                                          "/biblioteka/zapytania",
                                          "/biblioteka/historia"};
  for (const std::string& page : pages) {
    const HttpResponse anonymous = send("GET", page);
    EXPECT_EQ(anonymous.status, 303) << page;
    EXPECT_EQ(anonymous.header("location"), "/logowanie") << page;
    const HttpResponse reader = send("GET", page, cookie(reader_));
    EXPECT_EQ(reader.status, 403) << page;
    EXPECT_NE(reader.header("content-type").find("text/html"), std::string::npos) << page;
    EXPECT_NE(reader.body.find("Brak uprawnień"), std::string::npos) << page;
    const HttpResponse librarian = as_librarian("GET", page);
    EXPECT_EQ(librarian.status, 200) << page << ": " << librarian.body.substr(0, 400);
    EXPECT_NE(librarian.header("content-type").find("text/html"), std::string::npos) << page;
    EXPECT_EQ(librarian.header("cache-control"), "private, no-store") << page;
    // The header names the librarian and links the desk.
    EXPECT_NE(librarian.body.find("Anna Kowalska"), std::string::npos) << page;
    EXPECT_NE(librarian.body.find("href=\"/biblioteka\""), std::string::npos) << page;
    // Every form that changes something carries the session's token.
    std::size_t forms = 0, with_token = 0;
    for (std::size_t at = librarian.body.find("<form method=\"post\" action=\"/biblioteka");
         at != std::string::npos;
         at = librarian.body.find("<form method=\"post\" action=\"/biblioteka", at + 1)) {
      ++forms;
      const std::size_t end = librarian.body.find("</form>", at);
      if (librarian.body.substr(at, end - at).find("name=\"csrf\" value=\"" + csrf_) !=
          std::string::npos)
        ++with_token;
    }
    EXPECT_EQ(forms, with_token) << page;
  }
  const std::vector<std::string> posts = {"/biblioteka/dodaj",
                                          "/biblioteka/import",
                                          "/biblioteka/zadania/0123456789ab/zastosuj",
                                          "/biblioteka/pozycje/" + poradnik_,
                                          "/biblioteka/pozycje/" + poradnik_ + "/plik",
                                          "/biblioteka/pozycje/" + poradnik_ + "/wycofaj",
                                          "/biblioteka/pozycje/" + poradnik_ + "/przywroc",
                                          "/biblioteka/tokeny",
                                          "/biblioteka/tokeny/0123456789ab/uniewaznij"};
  const std::string change = form_encoded({{"title", "Zmieniony"}, {"label", "X"}});
  for (const std::string& target : posts) {
    const HttpResponse anonymous = send("POST", target, "", change);
    EXPECT_EQ(anonymous.status, 303) << target;
    EXPECT_EQ(anonymous.header("location"), "/logowanie") << target;
    EXPECT_EQ(send("POST", target, cookie(reader_), change).status, 403) << target;
    const HttpResponse missing = as_librarian("POST", target, change);
    EXPECT_EQ(missing.status, 403) << target;
    EXPECT_NE(missing.body.find("Formularz wygasł"), std::string::npos) << target;
    EXPECT_EQ(
        as_librarian("POST", target, change + "&csrf=" + std::string(csrf_.size(), 'a')).status,
        403)
        << target;
  }
  // Nothing of that changed the item.
  EXPECT_EQ(id_titled("Poradnik wolontariusza"), poradnik_);
  EXPECT_TRUE(id_titled("Zmieniony").empty());
}

TEST_F(DeskPages, VisitorsSearchesThatFoundNothingAreListedWithLinks) {
  EXPECT_EQ(get(port_, "/api/search?q=xyzzyqwerty").status, 200);
  EXPECT_EQ(get(port_, "/api/search?q=poradnik").status, 200);
  const std::string page = as_librarian("GET", "/biblioteka/zapytania").body;
  const std::size_t zero = page.find("Bez wyników"), top = page.find("Najczęstsze");
  ASSERT_NE(zero, std::string::npos) << page;
  ASSERT_NE(top, std::string::npos);
  const std::size_t unknown = page.find("<a href=\"/?q=xyzzyqwerty\">xyzzyqwerty</a>");
  EXPECT_GT(unknown, zero);
  EXPECT_LT(unknown, top);  // among those that found nothing
  EXPECT_GT(page.find("<a href=\"/?q=poradnik\">poradnik</a>"), top);
  // And on the home page.
  EXPECT_NE(as_librarian("GET", "/biblioteka").body.find("/?q=xyzzyqwerty"), std::string::npos);
}

TEST_F(DeskPages, ALibrarianLandsOnTheDeskAfterLoggingIn) {
  const HttpResponse librarian = send("POST", "/logowanie", "", "token=" + librarian_);
  EXPECT_EQ(librarian.status, 303);
  EXPECT_EQ(librarian.header("location"), "/biblioteka");
  const HttpResponse reader = send("POST", "/logowanie", "", "token=" + reader_);
  EXPECT_EQ(reader.status, 303);
  EXPECT_EQ(reader.header("location"), "/");
  // The visitors' pages link the desk for a librarian only.
  EXPECT_NE(as_librarian("GET", "/").body.find(">Biblioteka</a>"), std::string::npos);
  EXPECT_EQ(send("GET", "/", cookie(reader_)).body.find(">Biblioteka</a>"), std::string::npos);
}

TEST_F(DeskPages, ATitleCorrectedThroughTheFormIsSearchedAndOnlyWhatChangedIsSent) {
  const HttpResponse form = as_librarian("GET", "/biblioteka/pozycje/" + poradnik_);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"Poradnik wolontariusza\""), std::string::npos);
  EXPECT_NE(form.body.find("<option value=\"Wolontariat\">"), std::string::npos);  // campaigns
  EXPECT_NE(form.body.find("<datalist id=\"miejsca\">"), std::string::npos);
  // Found from the desk's search box.
  EXPECT_NE(as_librarian("GET", "/biblioteka?q=poradnik")
                .body.find("href=\"/biblioteka/pozycje/" + poradnik_ + "\""),
            std::string::npos);

  // The form sends every field; only the title differs.
  const std::string page = finished_job_page(
      submit("/biblioteka/pozycje/" + poradnik_, {{"title", "Poradnik dobrego sąsiada"},
                                                  {"type", "publication"},
                                                  {"campaign", " Wolontariat "},
                                                  {"year", "2019"},
                                                  {"access", ""}}));
  EXPECT_NE(page.find("data-state=\"done\""), std::string::npos) << page;
  EXPECT_EQ(page.find("http-equiv=\"refresh\""), std::string::npos);    // ended: no reload
  EXPECT_NE(page.find("Poradnik dobrego sąsiada"), std::string::npos);  // the report's new value
  EXPECT_TRUE(within(std::chrono::seconds(5),
                     [&] { return id_titled("Poradnik dobrego sąsiada") == poradnik_; }));
  // The audit trail, on the history page: the title alone, old → new.
  const json audit =
      json::parse(send("GET", "/api/admin/audit?limit=1",
                       "Authorization: Bearer " + librarian_ + "\r\nAccept: application/json\r\n")
                      .body);
  ASSERT_EQ(audit.size(), 1u);
  ASSERT_EQ(audit[0]["fields"].size(), 1u) << audit.dump();
  EXPECT_EQ(audit[0]["fields"][0]["field"], "title");
  const std::string history = as_librarian("GET", "/biblioteka/historia").body;
  EXPECT_NE(history.find("„Poradnik wolontariusza” → „Poradnik dobrego sąsiada”"),
            std::string::npos);

  // The same values again change nothing: back to the form, no job.
  const HttpResponse same = submit("/biblioteka/pozycje/" + poradnik_,
                                   {{"title", "Poradnik dobrego sąsiada"}, {"year", "2019"}});
  EXPECT_EQ(same.status, 303);
  EXPECT_EQ(same.header("location"), "/biblioteka/pozycje/" + poradnik_ + "?bez-zmian=1");
  // Restricted through the form, then public again by emptying the field.
  const std::string restricted =
      finished_job_page(submit("/biblioteka/pozycje/" + poradnik_, {{"access", "gmina-wyszkow"}}));
  EXPECT_NE(restricted.find("class=\"access-change\""), std::string::npos) << restricted;
  EXPECT_TRUE(within(std::chrono::seconds(5),
                     [&] { return get(port_, "/api/items/" + poradnik_).status != 200; }));
  const std::string opened =
      finished_job_page(submit("/biblioteka/pozycje/" + poradnik_, {{"access", ""}}));
  EXPECT_NE(opened.find("data-state=\"done\""), std::string::npos) << opened;
  EXPECT_TRUE(within(std::chrono::seconds(5),
                     [&] { return get(port_, "/api/items/" + poradnik_).status == 200; }));
  // A wrong value is a Polish error page naming the field.
  const HttpResponse wrong = submit("/biblioteka/pozycje/" + poradnik_, {{"year", "dawno"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("Nie udało się wykonać zmiany"), std::string::npos);
  EXPECT_NE(wrong.body.find("year"), std::string::npos) << wrong.body;
}

TEST_F(DeskPages, WithdrawAfterConfirmingThenRestore) {
  const HttpResponse confirm = as_librarian("GET", "/biblioteka/pozycje/" + ulotka_ + "/wycofaj");
  ASSERT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("Tak, wycofaj"), std::string::npos);
  const std::string withdrawn =
      finished_job_page(submit("/biblioteka/pozycje/" + ulotka_ + "/wycofaj", {}));
  EXPECT_NE(withdrawn.find("data-state=\"done\""), std::string::npos) << withdrawn;
  EXPECT_TRUE(within(std::chrono::seconds(5),
                     [&] { return get(port_, "/api/items/" + ulotka_).status == 410; }));
  const HttpResponse gone = as_librarian("GET", "/biblioteka/pozycje/" + ulotka_);
  ASSERT_EQ(gone.status, 200);
  EXPECT_NE(gone.body.find("Przywróć"), std::string::npos);
  const std::string restored =
      finished_job_page(submit("/biblioteka/pozycje/" + ulotka_ + "/przywroc", {}));
  EXPECT_NE(restored.find("data-state=\"done\""), std::string::npos) << restored;
  EXPECT_TRUE(within(std::chrono::seconds(5),
                     [&] { return get(port_, "/api/items/" + ulotka_).status == 200; }));
  EXPECT_EQ(id_titled("Ulotka spółdzielni"), ulotka_);
  // Restoring an item that is there is refused in Polish.
  const HttpResponse again = submit("/biblioteka/pozycje/" + ulotka_ + "/przywroc", {});
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.header("content-type").find("text/html"), std::string::npos);
}

TEST_F(DeskPages, AReadersTokenIsShownOnceAndRevokedAfterConfirming) {
  const HttpResponse made =
      submit("/biblioteka/tokeny", {{"label", "Powiat Wyszkowski"},
                                    {"groups", "powiat-wyszkowski, gmina-wyszkow"},
                                    {"expires", ""}});
  ASSERT_EQ(made.status, 303) << made.body.substr(0, 600);
  const std::string location = made.header("location");
  ASSERT_EQ(location.rfind("/biblioteka/tokeny/nowy/", 0), 0u) << location;
  const HttpResponse shown = as_librarian("GET", location);
  ASSERT_EQ(shown.status, 200);
  std::smatch found;
  const std::regex secret(R"re(id="token" type="text" readonly class="secret" value="([^"]+)")re");
  ASSERT_TRUE(std::regex_search(shown.body, found, secret)) << shown.body;
  const std::string token = found[1].str();
  EXPECT_NE(shown.body.find("tylko raz"), std::string::npos);
  EXPECT_EQ(as_librarian("GET", location).status, 404);  // shown once
  EXPECT_EQ(send("GET", location, cookie(reader_)).status, 403);
  // The token works, for its groups.
  const HttpResponse login = send("POST", "/logowanie", "", "token=" + token);
  EXPECT_EQ(login.status, 303);
  EXPECT_EQ(login.header("location"), "/");

  const std::string list = as_librarian("GET", "/biblioteka/tokeny").body;
  EXPECT_NE(list.find("Powiat Wyszkowski"), std::string::npos);
  EXPECT_NE(list.find("powiat-wyszkowski, gmina-wyszkow"), std::string::npos);
  const std::regex revoke_link(R"re(/biblioteka/tokeny/([0-9a-f]{12})/uniewaznij)re");
  std::string id;
  for (auto it = std::sregex_iterator(list.begin(), list.end(), revoke_link);
       it != std::sregex_iterator(); ++it) {
    const std::string candidate = (*it)[1].str();
    if (as_librarian("GET", "/biblioteka/tokeny/" + candidate + "/uniewaznij")
            .body.find("Powiat Wyszkowski") != std::string::npos)
      id = candidate;
  }
  ASSERT_FALSE(id.empty()) << list;
  const HttpResponse revoked = submit("/biblioteka/tokeny/" + id + "/uniewaznij", {});
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(revoked.header("location"), "/biblioteka/tokeny?uniewazniono=" + id);
  EXPECT_EQ(send("POST", "/logowanie", "", "token=" + token).status, 401);
  EXPECT_EQ(as_librarian("GET", "/biblioteka/tokeny").body.find("Powiat Wyszkowski"),
            std::string::npos);
  // No label: refused in Polish, nothing made.
  EXPECT_EQ(submit("/biblioteka/tokeny", {{"label", ""}, {"groups", "x"}}).status, 400);
}

TEST_F(DeskPages, AManifestIsPreviewedThenApplied) {
  // A row outside [desk] import_roots is an error with its line: nothing can be applied.
  const std::string refused =
      finished_job_page(submit("/biblioteka/import", {{"manifest_text",
                                                       "source,title,year\n"
                                                       "broszura.pdf,Broszura,2021\n"
                                                       "/etc/hostname,Cudzy plik,2021\n"},
                                                      {"format", "csv"}}));
  EXPECT_NE(refused.find("data-state=\"done\""), std::string::npos) << refused;
  EXPECT_NE(refused.find("wiersz 3"), std::string::npos) << refused;
  EXPECT_EQ(refused.find("Zastosuj</button>"), std::string::npos);

  const std::string plan = finished_job_page(
      submit("/biblioteka/import",
             {{"manifest_text",
               "source,title,campaign,year,access\n"
               "broszura.pdf,Broszura o mieszkaniach,Wolontariat,2021,\n"
               "ulotka.pdf,Ulotka spółdzielni,Ekonomia społeczna,2020,gmina-wyszkow\n"},
              {"format", "csv"}}));
  EXPECT_NE(plan.find("data-state=\"done\""), std::string::npos) << plan;
  EXPECT_NE(plan.find("Plan (nic jeszcze nie zmieniono)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Nowe"), std::string::npos);
  EXPECT_NE(plan.find("Zmiany dostępu"), std::string::npos) << plan;
  EXPECT_NE(plan.find("class=\"access-change\""), std::string::npos);
  EXPECT_NE(plan.find("Zastosuj</button>"), std::string::npos) << plan;
  // A preview changes nothing.
  EXPECT_TRUE(id_titled("Broszura o mieszkaniach").empty());
  EXPECT_EQ(get(port_, "/api/items/" + ulotka_).status, 200);

  const std::regex apply_form(R"re(action="(/biblioteka/zadania/[0-9a-f]{12}/zastosuj)")re");
  std::smatch found;
  ASSERT_TRUE(std::regex_search(plan, found, apply_form));
  const std::string apply = found[1].str();
  const std::string applied = finished_job_page(submit(apply, {}));
  EXPECT_NE(applied.find("data-state=\"done\""), std::string::npos) << applied;
  EXPECT_NE(applied.find("import manifestu"), std::string::npos);
  EXPECT_TRUE(within(std::chrono::seconds(5),
                     [&] { return !id_titled("Broszura o mieszkaniach").empty(); }));
  EXPECT_TRUE(within(std::chrono::seconds(5), [&] {
    return get(port_, "/api/items/" + ulotka_).status != 200;  // now the group's only
  }));
  // A preview is applied once.
  EXPECT_EQ(submit(apply, {}).status, 400);
}

}  // namespace
TEST_F(DeskPages, AFileIsAddedThroughTheFormAsABrowserUploadsIt) {
  const std::string boundary = "----WebKitFormBoundaryMediateka";
  const auto upload = [&](bool with_csrf) {
    std::string body;
    const auto field = [&](const std::string& name, const std::string& value) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    };
    if (with_csrf) field("csrf", csrf_);
    field("title", "Informator o wolontariacie");
    field("campaign", "Wolontariat");
    body += "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"informator.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n" +
            read_file(in_ / "poradnik.pdf") + "\r\n--" + boundary + "--\r\n";
    const std::string raw =
        "POST /biblioteka/dodaj HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept: "
        "text/html\r\n" +
        cookie(librarian_) + "Content-Type: multipart/form-data; boundary=" + boundary +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    const auto responses = parse_responses(exchange(port_, raw, std::chrono::seconds(90), 1));
    return responses.empty() ? HttpResponse{} : responses.front();
  };
  // Without the form's CSRF token: refused, and nothing of the upload stays.
  EXPECT_EQ(upload(false).status, 403);
  EXPECT_TRUE(fs::is_empty(db().string() + "-desk/incoming"));
  const std::string page = finished_job_page(upload(true));
  EXPECT_NE(page.find("data-state=\"done\""), std::string::npos) << page.substr(0, 2000);
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] {
    return get(port_, "/api/search?q=informator").json_body()["total"] == 1;
  }));
}

TEST_F(DeskPages, TheHomeListsTheCommandLinesImportsBesideTheJobs) {
  const std::string home = as_librarian("GET", "/biblioteka").body;
  const std::size_t table = home.find("<caption>Ostatnie importy");
  ASSERT_NE(table, std::string::npos) << home.substr(0, 3000);
  // The import SetUp ran with mediateka-index: run 1, by this machine's user.
  const std::string rows = home.substr(table, home.find("</table>", table) - table);
  EXPECT_NE(rows.find("<tr><td>1</td>"), std::string::npos) << rows;
}

}  // namespace mediateka::test
