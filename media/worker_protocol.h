// What IsolatedExtractor and mediateka-extract-worker share: the frames on their socket.
//
// Both directions carry frames: a 4-byte length in host byte order (both ends are on one
// machine) followed by that many bytes.
//   parent -> worker: a request, either the file's path alone (bytes as the file system has
//                     them; it starts with '/') or a JSON object
//                     {"file":"/path","cover":"/out.png","cover_width":320} asking for a cover
//                     too ("cover" optional).
//   worker -> parent: first {"ready":true} once the limits are set, then per request any
//                     number of empty frames (the worker is busy on a long step, such as a
//                     page to OCR: the parent's inactivity clock restarts), then
//                     {"ok":true,"extraction":{...}} or {"ok":false,"error":"..."}; when the
//                     request asked for a cover and the extraction succeeded, a second frame
//                     follows: {"cover":"made"}, {"cover":"none"} (audio without cover art) or
//                     {"cover":"failed","error":"..."}. The extraction is sent first, so a
//                     renderer that crashes or hangs costs only the cover.
// The worker exits 0 at the end of its input, kExitOutOfMemory when an allocation fails.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mediateka::media::worker_protocol {

constexpr const char* kWorkerName = "mediateka-extract-worker";
constexpr const char* kWorkerEnvironment = "MEDIATEKA_EXTRACT_WORKER";
// Test hook, read by the worker only: "crash:<substring>", "hang:<substring>",
// "spin:<substring>" (burn CPU), "oom:<substring>" (allocate until std::bad_alloc) or
// "cover-crash:<substring>" (crash while rendering the cover, after the extraction was sent)
// for files whose name contains <substring>. Not for production use.
constexpr const char* kTestFaultEnvironment = "MEDIATEKA_TEST_WORKER_FAULT";

constexpr int kExitOutOfMemory = 3;
constexpr std::size_t kHeaderBytes = 4;
constexpr std::size_t kMaxRequestBytes = 64 * 1024;
constexpr std::size_t kMaxAnswerBytes = std::size_t{1} << 30;

inline std::string frame(std::string_view payload) {
  const auto length = static_cast<std::uint32_t>(payload.size());
  std::string bytes(kHeaderBytes, '\0');
  std::memcpy(bytes.data(), &length, kHeaderBytes);
  bytes.append(payload);
  return bytes;
}

inline std::uint32_t frame_length(const char* header) {
  std::uint32_t length = 0;
  std::memcpy(&length, header, kHeaderBytes);
  return length;
}

}  // namespace mediateka::media::worker_protocol
