#include "archive/text/clock_text.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace mediateka {

std::string clock_text(long long seconds, bool pad_minutes) {
  const long long total = std::max(0LL, seconds);
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                  total % 60);
  } else {
    std::snprintf(text, sizeof text, pad_minutes ? "%02lld:%02lld" : "%lld:%02lld", total / 60,
                  total % 60);
  }
  return text;
}

std::string clock_text_millis(long long milliseconds) {
  const long long total = std::max(0LL, milliseconds);
  char text[40];
  std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld.%03lld", total / 3600000,
                total / 60000 % 60, total / 1000 % 60, total % 1000);
  return text;
}

std::string utc_timestamp(long long seconds) {
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace mediateka
