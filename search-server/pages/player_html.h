// The player of an item's page and of its embed (/i/{slug}/embed): the <audio> or <video>
// element, started (and stopped) by the page's ?t=, and the share controls that copy a link
// of a moment or of a clip. web/app.js seeks, stops at a clip's end and copies; without it the
// media fragment (#t=START,END) on the source starts the player.
#pragma once

#include <optional>
#include <string>

#include "archive/item.h"
#include "http/clip_range.h"

namespace mediateka::server {

// <audio id="odtwarzacz"> or <video id="odtwarzacz"> of `item`'s file, with its captions
// (`page_url`/captions.vtt) when it has cues and a download link for browsers that cannot play.
std::string media_element_html(const Item& item, const std::string& page_url, bool has_cues,
                               const std::optional<ClipRange>& clip);

// "Udostępnij fragment": the start and end of a clip (filled from `clip`), buttons that take the
// player's current moment, and buttons that copy the link of the clip and an <iframe> of the
// embed. Hidden until the script shows it: it only copies.
std::string share_controls_html(const std::optional<ClipRange>& clip);

}  // namespace mediateka::server
