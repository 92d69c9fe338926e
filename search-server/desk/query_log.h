// What visitors searched, for the librarian's desk (docs/api.md, GET /api/admin/queries; the
// operator's view: docs/operations.md "What visitors searched").
//
// Every search an anonymous visitor makes with a query (the API's /api/search and the search
// page, first page of results only) is counted under its normalised text (normalise_query) and
// its day (UTC): how many times it was made, and how many of those found nothing. Nothing else is
// kept: no address, token, cookie, user agent or time finer than the day.
//
// Storage: one JSON file a day, <folder>/YYYY-MM-DD.json (folder = desk_dir(config) + "/queries"),
// {"day":"YYYY-MM-DD","queries":[{"q","count","zero"}...],"others":{"count","zero"}}, written
// whole to a temporary file and renamed. Only the current day is held in memory (loaded from its
// file at start, so a restart loses nothing written); it is written at most every
// Limits::flush_interval from the request path, when the day ends, by flush() and by the
// destructor. Earlier days are read from their files when asked for. Files of days older than
// Limits::days_kept are deleted. A folder that cannot be written is reported once in the log and
// the server goes on (its counts then live only in memory, until the day ends).
//
// Bounded: at most Limits::max_queries distinct queries (and Limits::max_text_bytes of their
// text) a day; searches for further new queries that day count in "others" only.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mediateka::server {

// A query as the log keys it: invalid UTF-8 repaired, lower case (diacritics kept: the
// librarian sees what was typed), every run of white space or control characters one space,
// trimmed, at most kMaxLoggedQueryCharacters characters. "" = nothing to record.
inline constexpr std::size_t kMaxLoggedQueryCharacters = 200;
std::string normalise_query(std::string_view query);

// How often a query was searched and how many of those searches found nothing.
struct QueryCount {
  std::string q;
  std::uint64_t count = 0;
  std::uint64_t zero = 0;
};

// The searches of a span of days: the queries asked for, most counted first, and the totals.
struct QuerySummary {
  std::vector<QueryCount> queries;
  std::uint64_t searches = 0;       // every search counted, "others" included
  std::uint64_t zero_searches = 0;  // those that found nothing
  QueryCount others;                // searches beyond a day's bound (q is "")
};

// Days since 1970-01-01 (UTC) and their ISO form, "2026-12-06".
std::int64_t utc_day(std::int64_t seconds_since_epoch);
std::string day_text(std::int64_t day);
// The day of "YYYY-MM-DD", or false when `text` is not a valid date.
bool parse_day(std::string_view text, std::int64_t& day);

struct QueryLogLimits {
  std::size_t max_queries = 20000;        // distinct queries a day
  std::size_t max_text_bytes = 2u << 20;  // their text, a day
  int days_kept = 90;                     // today and the 89 days before it
  std::chrono::milliseconds flush_interval = std::chrono::seconds(5);
};

class QueryLog {
 public:
  using Limits = QueryLogLimits;
  using Clock = std::function<std::int64_t()>;  // seconds since the epoch

  // `folder`: where the day files live (created when first written). `clock`: the time, for
  // tests; std::time by default. Loads today's file and deletes files of days no longer kept.
  explicit QueryLog(std::string folder, Limits limits = {}, Clock clock = {});
  ~QueryLog();  // writes what is not yet written
  QueryLog(const QueryLog&) = delete;
  QueryLog& operator=(const QueryLog&) = delete;

  // Counts one search for `query` (normalised here; an empty one is not counted) today.
  void record(std::string_view query, bool found_nothing);

  // The last `days` days (today included; 1..days_kept): every query counted in them, summed,
  // ordered by count (by zero first when `zero_only`), then by q; at most `limit`. With
  // `zero_only`, only queries that found nothing at least once.
  QuerySummary summary(int days, bool zero_only, std::size_t limit = 100) const;
  std::vector<QueryCount> top(int days, bool zero_only, std::size_t limit = 100) const {
    return summary(days, zero_only, limit).queries;
  }

  // Writes today's counts now if they changed.
  void flush();

  const std::string& folder() const { return folder_; }
  std::string day_file(std::int64_t day) const;
  const Limits& limits() const { return limits_; }

 private:
  struct Counts {
    std::uint64_t count = 0;
    std::uint64_t zero = 0;
  };
  struct Day {
    std::int64_t day = 0;
    std::unordered_map<std::string, Counts> queries;
    std::size_t text_bytes = 0;
    Counts others;
  };
  struct Snapshot {
    std::int64_t day = 0;
    std::uint64_t version = 0;
    std::string json;
  };

  std::int64_t today() const;
  // Moves to `day` when it is later than the day held, returning the finished day's snapshot
  // (empty json when it had nothing unwritten). With mutex_ held.
  Snapshot advance_to(std::int64_t day);
  Snapshot snapshot();  // of the day held; with mutex_ held
  void write(const Snapshot& snapshot);
  void remove_old_files(std::int64_t today);
  static void add(Day& day, const std::string& q, Counts counts, const Limits& limits);
  // The day's counts from its file; none when it has none. A malformed file is left out with a
  // warning and, with `set_aside` (it is about to be written), renamed to *.unreadable.
  Day load_day(std::int64_t day, bool set_aside = false) const;

  const std::string folder_;
  const Limits limits_;
  const Clock clock_;

  mutable std::mutex mutex_;  // guards the members below it up to write_mutex_
  Day current_;
  std::uint64_t version_ = 0;          // bumped on every change of current_
  std::uint64_t written_version_ = 0;  // the version last handed to write()
  std::chrono::steady_clock::time_point last_flush_{};

  std::mutex write_mutex_;  // one writer at a time; guards the members below
  std::int64_t last_written_day_ = -1;
  std::uint64_t last_written_version_ = 0;
  bool warned_ = false;
};

}  // namespace mediateka::server
