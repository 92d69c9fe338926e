// GET /logowanie, POST /logowanie, POST /wyloguj: partner institutions sign in with the access
// token a librarian gave them (docs/access.md); the session is a cookie holding the token, so a
// revoked or expired token ends every session at once.
#include "authorization.h"
#include "http/query_string.h"
#include "pages/pages.h"

namespace mediateka::server {
namespace {

std::string login_form(const std::string& message, const Audience& audience) {
  std::string main = "<article class=\"prose\">\n<h1>Logowanie dla instytucji partnerskich</h1>\n";
  main +=
      "<p>Materiały przeznaczone tylko dla instytucji partnerskich (gmin, powiatów, ośrodków "
      "pomocy społecznej i regionalnych ośrodków polityki społecznej) są widoczne po "
      "zalogowaniu tokenem dostępu, który instytucja otrzymała od biblioteki "
      "Centrum.</p>\n";
  if (!audience.anonymous()) {
    std::string groups;
    for (const std::string& group : audience.groups) groups += (groups.empty() ? "" : ", ") + group;
    return main + "<p role=\"status\">Jesteś zalogowany. Widzisz także materiały grup: <strong>" +
           h(groups) +
           "</strong>.</p>\n<form method=\"post\" action=\"/wyloguj\">\n"
           "<button type=\"submit\">Wyloguj</button>\n</form>\n</article>\n";
  }
  if (!message.empty())
    main += "<p class=\"form-error\" role=\"alert\" id=\"blad\">" + h(message) + "</p>\n";
  main +=
      "<form method=\"post\" action=\"/logowanie\">\n"
      "<label for=\"token\">Token dostępu</label>\n"
      "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required" +
      std::string(message.empty() ? "" : " aria-describedby=\"blad\" aria-invalid=\"true\"") +
      ">\n<button type=\"submit\">Zaloguj</button>\n</form>\n</article>\n";
  return main;
}

Response login_page(int status, const std::string& message, const Audience& audience = {}) {
  PageHead head;
  head.title = "Logowanie";
  head.current_path = "/logowanie";
  Response response = html_response(status, page_layout(head, login_form(message, audience)));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// The cookie's attributes: HttpOnly (no script reads it), SameSite=Strict (no other site
// sends it), Secure when the visitor came over HTTPS (through a proxy that says so).
std::string cookie(const ApiRequest& request, const std::string& value, bool expire) {
  std::string text =
      std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  const auto proto = request.headers.find("x-forwarded-proto");
  if (proto != request.headers.end() && proto->second == "https") text += "; Secure";
  if (expire) text += "; Max-Age=0";
  return text;
}

Response see_home(std::vector<std::pair<std::string, std::string>> headers,
                  const char* home = "/") {
  headers.emplace_back("Location", home);
  headers.emplace_back("Cache-Control", "no-store");
  return Response{303, kHtmlContentType, "", std::move(headers)};
}

}  // namespace

Response get_login_page(const ApiRequest& request, ServerContext&) {
  return login_page(200, "", request.audience);
}

Response post_login(const ApiRequest& request, ServerContext& context) {
  const QueryParameters form = QueryParameters::parse(request.body);
  const std::string token = form.single("token").value_or("");
  const Authorization found =
      context.authorizer.authorize_token(token, request.client, context.index.generation());
  switch (found.outcome) {
    case Authorization::Outcome::authorised:
      // A librarian lands on the desk's home (desk/desk_pages.h), a reader on the search.
      return see_home({{"Set-Cookie", cookie(request, token, false)}},
                      found.librarian ? "/biblioteka" : "/");
    case Authorization::Outcome::throttled: {
      Response response =
          login_page(429, "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za " +
                              std::to_string(found.retry_after) + " s.");
      response.headers.emplace_back("Retry-After", std::to_string(found.retry_after));
      return response;
    }
    default:
      return login_page(401, "Nieprawidłowy, wygasły lub unieważniony token dostępu.");
  }
}

Response post_logout(const ApiRequest& request, ServerContext&) {
  return see_home({{"Set-Cookie", cookie(request, "", true)}});
}

}  // namespace mediateka::server
