#include "desk/query_log.h"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "archive/text/analyzer.h"
#include "archive/text/utf8.h"

namespace mediateka::server {

namespace fs = std::filesystem;

std::string normalise_query(std::string_view query) {
  const std::string lowered = lower(repaired_utf8(std::string(query)));
  std::string out;
  std::size_t characters = 0;
  bool space = false;  // white space seen since the last character kept
  for (Xapian::Utf8Iterator it(lowered); it != Xapian::Utf8Iterator(); ++it) {
    const unsigned c = *it;
    if (Xapian::Unicode::is_whitespace(c)) {
      space = !out.empty();
      continue;
    }
    if (characters + (space ? 2 : 1) > kMaxLoggedQueryCharacters) break;
    if (space) {
      out += ' ';
      ++characters;
      space = false;
    }
    Xapian::Unicode::append_utf8(out, c);
    ++characters;
  }
  return out;
}

// Howard Hinnant's days_from_civil and civil_from_days (proleptic Gregorian calendar).
namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

}  // namespace

std::int64_t utc_day(std::int64_t seconds) {
  return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
}

std::string day_text(std::int64_t day) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(day, y, m, d);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return text;
}

bool parse_day(std::string_view text, std::int64_t& day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  const auto number = [&](std::size_t from, std::size_t length) {
    unsigned value = 0;
    for (std::size_t i = from; i < from + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const unsigned m = number(5, 2), d = number(8, 2);
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const std::int64_t candidate = days_from_civil(number(0, 4), m, d);
  if (day_text(candidate) != text) return false;  // 31 April, 29 February of 2026
  day = candidate;
  return true;
}

namespace {

std::int64_t system_time() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::vector<QueryCount> sorted_counts(std::vector<QueryCount> counts, bool by_zero) {
  std::sort(counts.begin(), counts.end(), [by_zero](const QueryCount& a, const QueryCount& b) {
    if (by_zero && a.zero != b.zero) return a.zero > b.zero;
    if (a.count != b.count) return a.count > b.count;
    return a.q < b.q;
  });
  return counts;
}

std::uint64_t unsigned_field(const nlohmann::json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end() || !found->is_number_unsigned())
    throw std::runtime_error(std::string("\"") + name + "\" is not a whole number >= 0");
  return found->get<std::uint64_t>();
}

}  // namespace

QueryLog::QueryLog(std::string folder, Limits limits, Clock clock)
    : folder_(std::move(folder)), limits_(limits), clock_(clock ? std::move(clock) : system_time) {
  const std::int64_t now = today();
  current_ = load_day(now, true);
  if (!current_.queries.empty() || current_.others.count > 0) {
    last_written_day_ = now;  // what was read is what the file holds
  }
  remove_old_files(now);
}

QueryLog::~QueryLog() {
  try {
    flush();
  } catch (const std::exception& error) {
    spdlog::error("cannot write what visitors searched: {}", error.what());
  }
}

std::int64_t QueryLog::today() const { return utc_day(clock_()); }

std::string QueryLog::day_file(std::int64_t day) const {
  return folder_ + "/" + day_text(day) + ".json";
}

void QueryLog::add(Day& day, const std::string& q, Counts counts, const Limits& limits) {
  const auto found = day.queries.find(q);
  if (found != day.queries.end()) {
    found->second.count += counts.count;
    found->second.zero += counts.zero;
    return;
  }
  if (day.queries.size() >= limits.max_queries ||
      day.text_bytes + q.size() > limits.max_text_bytes) {
    day.others.count += counts.count;
    day.others.zero += counts.zero;
    return;
  }
  day.queries.emplace(q, counts);
  day.text_bytes += q.size();
}

QueryLog::Day QueryLog::load_day(std::int64_t day, bool set_aside) const {
  Day loaded;
  loaded.day = day;
  const std::string file = day_file(day);
  std::ifstream in(file, std::ios::binary);
  if (!in) return loaded;  // no search was counted that day
  try {
    std::stringstream text;
    text << in.rdbuf();
    const nlohmann::json root = nlohmann::json::parse(text.str());
    if (!root.is_object()) throw std::runtime_error("not a JSON object");
    const auto queries = root.find("queries");
    if (queries == root.end() || !queries->is_array())
      throw std::runtime_error("\"queries\" is not an array");
    for (const nlohmann::json& entry : *queries) {
      if (!entry.is_object() || !entry.contains("q") || !entry["q"].is_string())
        throw std::runtime_error("an entry of \"queries\" has no string \"q\"");
      const std::string q = normalise_query(entry["q"].get<std::string>());
      const Counts counts{unsigned_field(entry, "count"), unsigned_field(entry, "zero")};
      if (!q.empty()) add(loaded, q, counts, limits_);
    }
    if (const auto others = root.find("others"); others != root.end()) {
      if (!others->is_object()) throw std::runtime_error("\"others\" is not an object");
      loaded.others.count += unsigned_field(*others, "count");
      loaded.others.zero += unsigned_field(*others, "zero");
    }
  } catch (const std::exception& error) {
    std::error_code renamed;
    if (set_aside) fs::rename(file, file + ".unreadable", renamed);
    spdlog::warn("{}: not a day of searches ({}); {}", file, error.what(),
                 !set_aside ? "left out"
                 : renamed  ? "left out, and it will be overwritten"
                            : "set aside as " + file + ".unreadable");
    Day empty;
    empty.day = day;
    return empty;
  }
  return loaded;
}

QueryLog::Snapshot QueryLog::snapshot() {
  std::vector<QueryCount> counts;
  counts.reserve(current_.queries.size());
  for (const auto& [q, c] : current_.queries) counts.push_back({q, c.count, c.zero});
  nlohmann::json queries = nlohmann::json::array();
  for (const QueryCount& count : sorted_counts(std::move(counts), false))
    queries.push_back({{"q", count.q}, {"count", count.count}, {"zero", count.zero}});
  const nlohmann::json root = {
      {"day", day_text(current_.day)},
      {"queries", std::move(queries)},
      {"others", {{"count", current_.others.count}, {"zero", current_.others.zero}}}};
  written_version_ = version_;
  return Snapshot{current_.day, version_, root.dump(1)};
}

QueryLog::Snapshot QueryLog::advance_to(std::int64_t day) {
  if (day <= current_.day) return {};  // a clock that stepped back counts into the day held
  Snapshot finished;
  if (version_ != written_version_) finished = snapshot();
  current_ = load_day(day, true);
  ++version_;
  written_version_ = version_;  // the new day is as its file (if any) holds it
  return finished;
}

void QueryLog::record(std::string_view query, bool found_nothing) {
  const std::string q = normalise_query(query);
  if (q.empty()) return;
  const std::int64_t day = today();
  Snapshot finished, due;
  bool new_day = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    new_day = day > current_.day;
    finished = advance_to(day);
    add(current_, q, Counts{1, found_nothing ? 1u : 0u}, limits_);
    ++version_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_flush_ >= limits_.flush_interval) {
      last_flush_ = now;
      due = snapshot();
    }
  }
  if (!finished.json.empty()) write(finished);
  if (!due.json.empty()) write(due);
  if (new_day) remove_old_files(day);
}

void QueryLog::flush() {
  Snapshot due;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (version_ == written_version_) return;
    last_flush_ = std::chrono::steady_clock::now();
    due = snapshot();
  }
  write(due);
}

void QueryLog::write(const Snapshot& snapshot) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  // Snapshots are taken in order but may arrive here out of it: an older one is not written.
  if (snapshot.day == last_written_day_ && snapshot.version <= last_written_version_) return;
  const std::string file = day_file(snapshot.day);
  const std::string temporary = file + ".tmp" + std::to_string(getpid());
  std::error_code error;
  fs::create_directories(folder_, error);
  std::ofstream out(temporary, std::ios::trunc | std::ios::binary);
  out << snapshot.json << '\n';
  out.close();
  if (!out || (fs::rename(temporary, file, error), error)) {
    fs::remove(temporary, error);
    if (!warned_)
      spdlog::warn(
          "cannot write what visitors searched to {}; it is kept in memory until the "
          "day ends, and this is said once",
          file);
    warned_ = true;
    // Tried again at the next flush, unless the day has moved on or changed since.
    std::lock_guard<std::mutex> data_lock(mutex_);
    if (current_.day == snapshot.day && written_version_ == snapshot.version) written_version_ = 0;
    return;
  }
  last_written_day_ = snapshot.day;
  last_written_version_ = snapshot.version;
}

void QueryLog::remove_old_files(std::int64_t today) {
  std::error_code error;
  fs::directory_iterator entries(folder_, error);
  if (error) return;  // nothing written yet
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    std::int64_t day = 0;
    if (name.size() != 15 || name.compare(10, 5, ".json") != 0 ||
        !parse_day(name.substr(0, 10), day))
      continue;
    if (day > today - limits_.days_kept) continue;
    std::error_code removed;
    fs::remove(entry.path(), removed);
    if (removed)
      spdlog::warn("cannot remove {}, a day no longer kept: {}", entry.path().string(),
                   removed.message());
  }
}

QuerySummary QueryLog::summary(int days, bool zero_only, std::size_t limit) const {
  days = std::clamp(days, 1, limits_.days_kept);
  const std::int64_t now = today();
  std::unordered_map<std::string, Counts> sums;
  Counts others;
  const auto merge = [&](const Day& day) {
    for (const auto& [q, counts] : day.queries) {
      Counts& sum = sums[q];
      sum.count += counts.count;
      sum.zero += counts.zero;
    }
    others.count += day.others.count;
    others.zero += day.others.zero;
  };
  std::int64_t held = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    held = current_.day;
    if (held > now - days && held <= now) merge(current_);
  }
  for (std::int64_t day = now - days + 1; day <= now; ++day)
    if (day != held) merge(load_day(day));

  QuerySummary summary;
  summary.others.count = others.count;
  summary.others.zero = others.zero;
  summary.searches = others.count;
  summary.zero_searches = others.zero;
  std::vector<QueryCount> listed;
  for (auto& [q, counts] : sums) {
    summary.searches += counts.count;
    summary.zero_searches += counts.zero;
    if (!zero_only || counts.zero > 0) listed.push_back({q, counts.count, counts.zero});
  }
  listed = sorted_counts(std::move(listed), zero_only);
  if (listed.size() > limit) listed.resize(limit);
  summary.queries = std::move(listed);
  return summary;
}

}  // namespace mediateka::server
