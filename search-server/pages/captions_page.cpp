// GET /i/{slug}/captions.vtt — an item's subtitle and transcript cues as WebVTT, for the
// player's <track> (not its chapters).
#include <algorithm>
#include <cmath>

#include "api/item_media.h"
#include "archive/text/clock_text.h"
#include "pages/pages.h"

namespace mediateka::server {
namespace {

std::string vtt_time(double seconds) {
  return clock_text_millis(std::llround(std::max(0.0, seconds) * 1000));
}

// Cue text: no blank lines (they end a cue), and &, <, > escaped (so no "-->" either).
std::string vtt_text(const std::string& text) {
  std::string out, line;
  auto flush = [&] {
    const auto first = line.find_first_not_of(" \t");
    if (first != std::string::npos) {
      if (!out.empty()) out += '\n';
      out += line.substr(first);
    }
    line.clear();
  };
  for (char c : text) {
    if (c == '\n') {
      flush();
    } else if (c == '\r') {
      continue;
    } else if (c == '&') {
      line += "&amp;";
    } else if (c == '<') {
      line += "&lt;";
    } else if (c == '>') {
      line += "&gt;";
    } else {
      line += c;
    }
  }
  flush();
  return out;
}

}  // namespace

Response get_item_captions(const ApiRequest& request, ServerContext& context) {
  Searcher& searcher = context.index.searcher();
  auto found = find_item(searcher, request.path_parameters.at("slug"), request.audience);
  if (!found) return page_error(404, "not_found", "no item with this slug or id");
  const std::vector<Segment> cues =
      cues_of(found->item, searcher.segments(found->item.id, request.audience));
  if (cues.empty()) return page_error(404, "not_found", "this item has no captions");
  std::string vtt = "WEBVTT\n";
  int number = 0;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    const Segment& cue = cues[i];
    const std::string text = vtt_text(cue.text);
    if (text.empty()) continue;
    double end = cue.end_s;
    if (end <= cue.start_s) {
      end = i + 1 < cues.size() && cues[i + 1].start_s > cue.start_s ? cues[i + 1].start_s
                                                                     : cue.start_s + 4;
    }
    vtt += "\n" + std::to_string(++number) + "\n" + vtt_time(cue.start_s) + " --> " +
           vtt_time(end) + "\n" + text + "\n";
  }
  return Response{200,
                  "text/vtt; charset=utf-8",
                  std::move(vtt),
                  {{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}}};
}

}  // namespace mediateka::server
