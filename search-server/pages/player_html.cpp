#include "pages/player_html.h"

#include <cmath>

#include "api/item_media.h"
#include "pages/pages.h"

namespace mediateka::server {

std::string media_element_html(const Item& item, const std::string& page_url, bool has_cues,
                               const std::optional<ClipRange>& clip) {
  const std::string file = "/files/" + url_component(item.id);
  const char* element = is_audio(item) ? "audio" : "video";
  std::string html = std::string("<") + element +
                     " id=\"odtwarzacz\" class=\"media\" controls preload=\"metadata\" src=\"" +
                     file + (clip ? media_fragment(*clip) : "") + "\"";
  if (clip) html += " data-start=\"" + seconds_value(std::floor(clip->start)) + "\"";
  if (clip && clip->end) html += " data-end=\"" + seconds_value(*clip->end) + "\"";
  html += ">\n";
  if (has_cues) {
    html += "<track kind=\"captions\" srclang=\"pl\" label=\"Polski\" src=\"" + page_url +
            "/captions.vtt\" default>\n";
  }
  html += "<p>Ta przeglądarka nie odtwarza nagrań. <a href=\"" + file +
          "\">Pobierz plik</a>.</p>\n</" + element + ">\n";
  return html;
}

std::string share_controls_html(const std::optional<ClipRange>& clip) {
  const auto value = [](std::optional<double> seconds) {
    return seconds ? " value=\"" + h(clock_time(*seconds)) + "\"" : std::string();
  };
  const auto field = [&](const char* id, const char* label, std::optional<double> seconds,
                         const char* take) {
    return std::string("<div class=\"share-field\"><label for=\"") + id + "\">" + label +
           "</label> <input type=\"text\" id=\"" + id +
           "\" inputmode=\"numeric\" autocomplete=\"off\" size=\"8\" "
           "aria-describedby=\"fragment-pomoc\"" +
           value(seconds) + "> <button type=\"button\" class=\"secondary\" data-take=\"" + id +
           "\">" + take + "</button></div>\n";
  };
  std::string html =
      "<fieldset class=\"share\" id=\"udostepnij\" hidden>\n"
      "<legend>Udostępnij fragment</legend>\n";
  html += field("fragment-od", "Początek",
                clip ? std::optional<double>(std::floor(clip->start)) : std::nullopt,
                "Początek w tej chwili");
  html += field("fragment-do", "Koniec", clip ? clip->end : std::nullopt, "Koniec w tej chwili");
  html +=
      "<p class=\"hint\" id=\"fragment-pomoc\">Czas w sekundach albo jako mm:ss lub gg:mm:ss, "
      "np. 1:30.</p>\n"
      "<div class=\"share-actions\"><button type=\"button\" id=\"kopiuj-fragment\">Kopiuj link "
      "do fragmentu</button> <button type=\"button\" class=\"secondary\" "
      "id=\"kopiuj-osadzenie\">Kopiuj kod do osadzenia na stronie</button></div>\n"
      "</fieldset>\n";
  return html;
}

}  // namespace mediateka::server
