// libFuzzer target: the extraction worker's messages as IsolatedExtractor reads them
// (media/worker_protocol.h frames; {"ok":true,"extraction":{...}} through extraction_from_json).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "extraction.h"
#include "worker_protocol.h"

namespace protocol = mediateka::media::worker_protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  const std::string framed = protocol::frame(payload);
  if (protocol::frame_length(framed.data()) != size) __builtin_trap();

  const nlohmann::json answer = nlohmann::json::parse(payload, nullptr, false);
  if (answer.is_discarded()) return 0;
  try {
    // The same steps as IsolatedExtractor::extract; the bare object is tried too.
    const nlohmann::json& extraction =
        answer.is_object() && answer.contains("extraction") ? answer.at("extraction") : answer;
    const mediateka::media::Extraction parsed = mediateka::media::extraction_from_json(extraction);
    (void)mediateka::media::to_json(parsed).dump();
  } catch (const nlohmann::json::exception&) {
  } catch (const mediateka::media::ExtractionError&) {
  }
  return 0;
}
