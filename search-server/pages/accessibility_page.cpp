// GET /dostepnosc — the accessibility statement (deklaracja dostępności), in the structure
// Polish public bodies use under the act of 4 April 2019 on digital accessibility.
// The institution's facts come from [site] in the configuration (config.h SiteSettings); a
// fact not given leaves out the sentence that would state it (the server warns at start).
#include "pages/pages.h"

namespace mediateka::server {

namespace {

std::string date_html(const std::string& date) {
  return "<time datetime=\"" + h(date) + "\">" + h(date) + "</time>";
}

}  // namespace

Response get_accessibility_page(const ApiRequest&, ServerContext& context) {
  const SiteSettings& site = context.site;
  const AccessibilityFacts& facts = site.accessibility;
  std::string main = "<article class=\"prose\">\n<h1>Deklaracja dostępności</h1>\n";
  main += "<p>" + (site.name.empty() ? std::string("Prowadzący serwis") : h(site.name)) +
          " zobowiązuje się zapewnić dostępność swojej strony internetowej zgodnie z ustawą z dnia "
          "4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych "
          "podmiotów publicznych. Deklaracja dostępności dotyczy serwisu "
          "<strong>Mediateka</strong> – archiwum multimedialnego" +
          (site.url.empty() ? std::string()
                            : " dostępnego pod adresem <a href=\"" + h(site.url) + "\">" +
                                  h(site.url) + "</a>") +
          ".</p>\n";
  if (!facts.published.empty() || !facts.updated.empty()) {
    main += "<ul>\n";
    if (!facts.published.empty())
      main += "<li>Data publikacji strony internetowej: " + date_html(facts.published) + ".</li>\n";
    if (!facts.updated.empty())
      main += "<li>Data ostatniej istotnej aktualizacji: " + date_html(facts.updated) + ".</li>\n";
    main += "</ul>\n";
  }

  main += R"(<h2 id="status">Stan dostępności cyfrowej</h2>
<p>Strona internetowa jest <strong>częściowo zgodna</strong> z ustawą o dostępności cyfrowej
stron internetowych i aplikacji mobilnych podmiotów publicznych z powodu niezgodności lub
wyłączeń wymienionych poniżej.</p>
<h3>Treści niedostępne</h3>
<ul>
<li>Część starszych publikacji i biuletynów w formacie PDF to skany bez warstwy tekstowej
lub bez struktury nagłówków; tekst stron, który udało się odczytać, pokazujemy na stronie
materiału.</li>
<li>Napisy i transkrypcje części nagrań powstały automatycznie lub pochodzą z plików
dostarczonych z nagraniem i mogą zawierać błędy. Nie wszystkie nagrania mają napisy.</li>
<li>Filmy nie mają audiodeskrypcji.</li>
</ul>
<h3>Wyłączenia</h3>
<ul>
<li>Multimedia opublikowane przed 23 września 2020 r. oraz pliki biurowe opublikowane przed
23 września 2018 r. (art. 3 ust. 2 ustawy), o ile nie są niezbędne do realizacji bieżących
zadań.</li>
<li>Treści archiwalne, które nie są niezbędne do realizacji bieżących zadań i nie były
aktualizowane ani redagowane po 23 września 2019 r.</li>
</ul>
<h2 id="przygotowanie">Przygotowanie deklaracji dostępności</h2>
)";
  main += "<p>";
  if (!facts.prepared.empty())
    main += "Deklarację sporządzono dnia " + date_html(facts.prepared) + ". ";
  main += "Deklarację sporządzono na podstawie samooceny przeprowadzonej przez podmiot publiczny.";
  if (!facts.reviewed.empty())
    main += " Deklaracja została ostatnio poddana przeglądowi i aktualizacji dnia " +
            date_html(facts.reviewed) + ".";
  main += "</p>\n";
  main += R"(<h2 id="ulatwienia">Ułatwienia w serwisie</h2>
<ul>
<li>Wszystkie funkcje serwisu działają bez JavaScriptu i są dostępne z klawiatury.</li>
<li>Na początku każdej strony jest odnośnik „Przejdź do treści”.</li>
<li>Wyszukiwanie, filtry i numer strony wyników są zapisane w adresie strony, więc każde
wyszukiwanie można udostępnić, a przycisk „Wstecz” przeglądarki działa.</li>
<li>Nagrania z napisami mają transkrypcję; każdy czas w transkrypcji jest odnośnikiem do tej
chwili nagrania.</li>
<li>Na stronie nie stosuje się specjalnych skrótów klawiaturowych.</li>
</ul>
<h2 id="kontakt">Informacje zwrotne i dane kontaktowe</h2>
)";
  const std::string& email = facts.contact_email.empty() ? site.email : facts.contact_email;
  const std::string& phone = facts.contact_phone.empty() ? site.phone : facts.contact_phone;
  main += "<p>W przypadku problemów z dostępnością serwisu prosimy o kontakt.";
  if (!facts.contact_person.empty())
    main += " Osobą kontaktową jest " + h(facts.contact_person) + ".";
  if (!email.empty())
    main +=
        " Adres poczty elektronicznej: <a href=\"mailto:" + h(email) + "\">" + h(email) + "</a>.";
  if (!phone.empty()) main += " Numer telefonu: " + h(phone) + ".";
  if (!site.address.empty()) main += " Adres korespondencyjny: " + h(site.address) + ".";
  main +=
      " Tą samą drogą można składać wnioski o udostępnienie informacji niedostępnej oraz "
      "żądania zapewnienia dostępności.</p>\n";
  main += R"(<h2 id="procedura">Procedura wnioskowo-skargowa</h2>
<p>Każdy ma prawo do wystąpienia z żądaniem zapewnienia dostępności cyfrowej strony
internetowej lub jakiegoś jej elementu. Można także zażądać udostępnienia informacji za pomocą
alternatywnego sposobu dostępu, na przykład przez odczytanie niedostępnego cyfrowo dokumentu
lub opisanie zawartości filmu bez audiodeskrypcji.</p>
<p>Żądanie powinno zawierać dane osoby zgłaszającej żądanie, wskazanie, o którą stronę
internetową lub element strony chodzi, oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza
potrzebę otrzymania informacji za pomocą alternatywnego sposobu dostępu, powinna także
określić dogodny dla niej sposób przedstawienia tej informacji.</p>
<p>Podmiot publiczny realizuje żądanie niezwłocznie, nie później niż w ciągu 7 dni od dnia
wystąpienia z żądaniem. Jeżeli dotrzymanie tego terminu nie jest możliwe, podmiot publiczny
niezwłocznie informuje o tym wnoszącego żądanie, kiedy realizacja żądania będzie możliwa,
przy czym termin ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem.
Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, podmiot publiczny może zaproponować
alternatywny sposób dostępu do informacji.</p>
<p>W przypadku, gdy podmiot publiczny odmówi realizacji żądania zapewnienia dostępności lub
alternatywnego sposobu dostępu do informacji, wnoszący żądanie może złożyć skargę w sprawie
zapewnienia dostępności cyfrowej strony internetowej lub jej elementu.</p>
<p>Po wyczerpaniu wskazanej wyżej procedury można także złożyć wniosek do
<a href="https://bip.brpo.gov.pl/">Rzecznika Praw Obywatelskich</a>.</p>
)";
  if (!facts.building.empty())
    main += "<h2 id=\"architektura\">Dostępność architektoniczna</h2>\n<p>" + h(facts.building) +
            "</p>\n";
  if (!facts.sign_language.empty())
    main += "<h2 id=\"pjm\">Informacje o tłumaczu języka migowego</h2>\n<p>" +
            h(facts.sign_language) + "</p>\n";
  main +=
      "<h2 id=\"aplikacje\">Aplikacje mobilne</h2>\n<p>Mediateka nie ma aplikacji "
      "mobilnej.</p>\n</article>\n";

  PageHead head;
  head.title = "Deklaracja dostępności";
  head.current_path = "/dostepnosc";
  head.extra =
      "<meta name=\"description\" content=\"Deklaracja dostępności serwisu Mediateka.\">\n";
  return html_response(200, page_layout(head, main));
}

}  // namespace mediateka::server
