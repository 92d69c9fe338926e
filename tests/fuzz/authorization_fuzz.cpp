// libFuzzer target: the Authorization and Cookie headers (search-server/authorization.h) and
// the token check under them (archive/access/access_tokens.h), over an empty temporary index made
// once per process. The input is "AUTHORIZATION\nCOOKIE"; without a line break, both get it whole.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "archive/access/access_tokens.h"
#include "archive/index_writer.h"
#include "authorization.h"

namespace server = mediateka::server;

namespace {

// The temporary folder, removed at exit (a plain array: it outlives every static object).
char index_folder[] = "/tmp/mediateka-fuzz-XXXXXX";

const std::string& empty_index() {
  static const std::string db = [] {
    if (!mkdtemp(index_folder)) std::abort();
    std::atexit([] { std::filesystem::remove_all(index_folder); });
    const std::string path = std::string(index_folder) + "/db";
    mediateka::IndexWriter(path).commit();
    return path;
  }();
  return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view authorization = input.substr(0, newline);
  const std::string_view cookie =
      newline == std::string_view::npos ? input : input.substr(newline + 1);

  (void)server::session_cookie(cookie);
  static mediateka::TokenVerifier verifier = [] {
    mediateka::TokenVerifier loaded;
    loaded.load(empty_index());
    return loaded;
  }();
  if (verifier.verify(input, 0)) __builtin_trap();  // the index holds no token

  // A new Authorizer each time, so that refusals never throttle the next input.
  server::Authorizer authorizer(empty_index());
  const server::Authorization found = authorizer.authorize(authorization, cookie, "fuzz", 1);
  if (found.outcome == server::Authorization::Outcome::authorised) __builtin_trap();
  (void)authorizer.authorize_token(input, "fuzz", 1);
  return 0;
}
