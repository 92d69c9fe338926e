// The log of what visitors searched (search-server/desk/query_log.h): normalisation, counting per
// day, the bound, days dropped, files written and read back.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "desk/query_log.h"
#include "test_files.h"

namespace {

namespace fs = std::filesystem;
using mediateka::server::day_text;
using mediateka::server::normalise_query;
using mediateka::server::parse_day;
using mediateka::server::QueryCount;
using mediateka::server::QueryLog;
using mediateka::server::QueryLogLimits;
using mediateka::test::read_file;
using mediateka::test::TemporaryFolder;
using mediateka::test::write_file;

constexpr std::int64_t kDay = 86400;
// 2026-12-06 12:00:00 UTC.
constexpr std::int64_t kNoon = 1796558400;

// A log whose clock the test moves, written at once or only when asked.
struct TestLog {
  explicit TestLog(const fs::path& folder, QueryLogLimits limits = quiet(),
                   std::int64_t start = kNoon)
      : now(start), log(folder.string(), limits, [this] { return now.load(); }) {}
  static QueryLogLimits quiet() {
    QueryLogLimits limits;
    limits.flush_interval = std::chrono::hours(1);
    return limits;
  }
  std::atomic<std::int64_t> now;  // before `log`, which reads it when constructed
  QueryLog log;
};

std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>> rows(
    const std::vector<QueryCount>& counts) {
  std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>> out;
  for (const auto& count : counts) out.emplace_back(count.q, count.count, count.zero);
  return out;
}

TEST(QueryLogNormalise, LowerCaseCollapsedTrimmedDiacriticsKept) {
  EXPECT_EQ(normalise_query("  Pomoc   SPOŁECZNA\t\n w Łodzi  "), "pomoc społeczna w łodzi");
  EXPECT_EQ(normalise_query("ŹRÓDŁA"), "źródła");
  // Unicode spaces (no-break, ideographic) and control characters are white space too.
  EXPECT_EQ(normalise_query("a\xC2\xA0\xC2\xA0"
                            "b\xE3\x80\x80"
                            "c\x01"
                            "d"),
            "a b c d");
  EXPECT_EQ(normalise_query(" \t\r\n "), "");
  EXPECT_EQ(normalise_query(""), "");
  // Broken UTF-8 is repaired, not kept.
  EXPECT_EQ(normalise_query("ab\xFF"
                            "c"),
            "ab\xEF\xBF\xBD"
            "c");
  // The same query typed differently is one key.
  EXPECT_EQ(normalise_query("PCPR  Wyszków"), normalise_query("pcpr wyszków "));
  // Normalising twice changes nothing.
  EXPECT_EQ(normalise_query(normalise_query(" Ą  b ")), "ą b");
}

TEST(QueryLogNormalise, AtMost200CharactersNeverCutInsideOne) {
  std::string long_query;
  for (int i = 0; i < 300; ++i) long_query += "ż";  // two bytes each
  const std::string cut = normalise_query(long_query);
  EXPECT_EQ(cut.size(), 400u);
  EXPECT_EQ(cut, long_query.substr(0, 400));
  // No trailing space when the cut falls on one.
  const std::string words = std::string(199, 'a') + " b";
  EXPECT_EQ(normalise_query(words), std::string(199, 'a'));
  EXPECT_EQ(normalise_query(std::string(198, 'a') + "  b c"), std::string(198, 'a') + " b");
}

TEST(QueryLogDays, DatesRoundTrip) {
  EXPECT_EQ(day_text(0), "1970-01-01");
  EXPECT_EQ(day_text(mediateka::server::utc_day(kNoon)), "2026-12-06");
  EXPECT_EQ(mediateka::server::utc_day(kNoon - 12 * 3600), mediateka::server::utc_day(kNoon));
  EXPECT_EQ(mediateka::server::utc_day(kNoon + 12 * 3600), mediateka::server::utc_day(kNoon) + 1);
  std::int64_t day = 0;
  ASSERT_TRUE(parse_day("2024-02-29", day));
  EXPECT_EQ(day_text(day), "2024-02-29");
  EXPECT_FALSE(parse_day("2026-02-29", day));
  EXPECT_FALSE(parse_day("2026-04-31", day));
  EXPECT_FALSE(parse_day("2026-13-01", day));
  EXPECT_FALSE(parse_day("2026-1-01x", day));
  EXPECT_FALSE(parse_day("../../etc", day));
}

TEST(QueryLog, CountsPerQueryWithZeroResults) {
  TemporaryFolder folder;
  TestLog test(folder.path() / "queries");
  test.log.record("Pomoc społeczna", false);
  test.log.record("  pomoc   SPOŁECZNA ", false);
  test.log.record("pomoc społeczna", true);
  test.log.record("asystent rodziny", true);
  test.log.record("asystent rodziny", true);
  test.log.record("wolontariat", false);
  test.log.record("   ", true);  // nothing typed: not counted
  EXPECT_EQ(rows(test.log.top(30, false)),
            (decltype(rows({})){
                {"pomoc społeczna", 3, 1}, {"asystent rodziny", 2, 2}, {"wolontariat", 1, 0}}));
  // Only those that found nothing at least once, most often without a hit first.
  EXPECT_EQ(rows(test.log.top(30, true)),
            (decltype(rows({})){{"asystent rodziny", 2, 2}, {"pomoc społeczna", 3, 1}}));
  // Ties by q; the limit.
  EXPECT_EQ(rows(test.log.top(30, false, 2)),
            (decltype(rows({})){{"pomoc społeczna", 3, 1}, {"asystent rodziny", 2, 2}}));
  const auto summary = test.log.summary(30, false);
  EXPECT_EQ(summary.searches, 6u);
  EXPECT_EQ(summary.zero_searches, 3u);
  EXPECT_EQ(summary.others.count, 0u);
}

TEST(QueryLog, CountsPerDayAndSumsTheDaysAskedFor) {
  TemporaryFolder folder;
  TestLog test(folder.path() / "queries");
  test.log.record("mops", false);
  test.now = kNoon + kDay;  // the next day
  test.log.record("mops", true);
  test.log.record("pcpr", false);
  test.now = kNoon + 10 * kDay;
  test.log.record("mops", false);

  // The day that ended was written when the next began.
  EXPECT_TRUE(fs::exists(test.log.day_file(mediateka::server::utc_day(kNoon))));
  EXPECT_TRUE(fs::exists(test.log.day_file(mediateka::server::utc_day(kNoon + kDay))));
  EXPECT_EQ(rows(test.log.top(1, false)), (decltype(rows({})){{"mops", 1, 0}}));
  EXPECT_EQ(rows(test.log.top(10, false)), (decltype(rows({})){{"mops", 2, 1}, {"pcpr", 1, 0}}));
  EXPECT_EQ(rows(test.log.top(11, false)), (decltype(rows({})){{"mops", 3, 1}, {"pcpr", 1, 0}}));
  // A day boundary in UTC: 23:59:59 and 00:00:00 are different days.
  const std::int64_t midnight = (kNoon / kDay + 11) * kDay;
  test.now = midnight - 1;
  test.log.record("granica", false);
  test.now = midnight;
  test.log.record("granica", false);
  EXPECT_EQ(rows(test.log.top(1, false)), (decltype(rows({})){{"granica", 1, 0}}));
  EXPECT_EQ(rows(test.log.top(2, false, 1)), (decltype(rows({})){{"granica", 2, 0}}));
}

TEST(QueryLog, BeyondTheBoundNewQueriesCountAsOthers) {
  TemporaryFolder folder;
  QueryLogLimits limits = TestLog::quiet();
  limits.max_queries = 3;
  TestLog test(folder.path() / "queries", limits);
  for (const char* q : {"a", "b", "c", "d", "e", "a"}) test.log.record(q, false);
  test.log.record("f", true);
  test.log.record("b", true);  // a query already kept is still counted
  const auto summary = test.log.summary(1, false);
  EXPECT_EQ(rows(summary.queries), (decltype(rows({})){{"a", 2, 0}, {"b", 2, 1}, {"c", 1, 0}}));
  EXPECT_EQ(summary.others.count, 3u);
  EXPECT_EQ(summary.others.zero, 1u);
  EXPECT_EQ(summary.searches, 8u);
  EXPECT_EQ(summary.zero_searches, 2u);
  // The next day has its own bound.
  test.now = kNoon + kDay;
  test.log.record("g", false);
  EXPECT_EQ(rows(test.log.top(1, false)), (decltype(rows({})){{"g", 1, 0}}));

  // The text is bounded too.
  TemporaryFolder other;
  QueryLogLimits text_limits = TestLog::quiet();
  text_limits.max_text_bytes = 10;
  TestLog bytes(other.path() / "queries", text_limits);
  bytes.log.record("abcdef", false);
  bytes.log.record("ghijkl", false);
  bytes.log.record("mnop", false);
  const auto bounded = bytes.log.summary(1, false);
  EXPECT_EQ(rows(bounded.queries), (decltype(rows({})){{"abcdef", 1, 0}, {"mnop", 1, 0}}));
  EXPECT_EQ(bounded.others.count, 1u);
}

TEST(QueryLog, DaysOlderThanKeptAreDropped) {
  TemporaryFolder folder;
  const fs::path queries = folder.path() / "queries";
  const std::int64_t today = mediateka::server::utc_day(kNoon);
  {
    TestLog test(queries, TestLog::quiet(), kNoon - 89 * kDay);  // the oldest day kept at kNoon
    test.log.record("stare", false);
    test.now = kNoon - 30 * kDay;
    test.log.record("nowsze", false);
    test.log.flush();
  }
  // A file of a day long gone, and files that are not days, left alone.
  write_file(
      queries / (day_text(today - 90) + ".json"),
      R"({"day":"x","queries":[{"q":"za stare","count":1,"zero":0}],"others":{"count":0,"zero":0}})");
  write_file(queries / "notatki.txt", "librarian's notes");
  ASSERT_TRUE(fs::exists(queries / (day_text(today - 89) + ".json")));

  TestLog test(queries);  // starts at kNoon
  EXPECT_FALSE(fs::exists(queries / (day_text(today - 90) + ".json")));
  EXPECT_TRUE(fs::exists(queries / (day_text(today - 89) + ".json")));
  EXPECT_TRUE(fs::exists(queries / "notatki.txt"));
  EXPECT_EQ(rows(test.log.top(90, false)), (decltype(rows({})){{"nowsze", 1, 0}, {"stare", 1, 0}}));
  EXPECT_EQ(rows(test.log.top(31, false)), (decltype(rows({})){{"nowsze", 1, 0}}));
  // At most days_kept days can be asked for.
  EXPECT_EQ(test.log.top(1000, false).size(), 2u);

  // A day later the oldest one goes too, when the new day begins.
  test.now = kNoon + kDay;
  test.log.record("dziś", false);
  EXPECT_FALSE(fs::exists(queries / (day_text(today - 89) + ".json")));
  EXPECT_EQ(rows(test.log.top(90, false)), (decltype(rows({})){{"dziś", 1, 0}, {"nowsze", 1, 0}}));
}

TEST(QueryLog, SavedAtomicallyAndLoadedAfterARestart) {
  TemporaryFolder folder;
  const fs::path queries = folder.path() / "queries";
  const fs::path file = queries / "2026-12-06.json";
  {
    TestLog test(queries);
    test.log.record("Świadczenia", true);  // the first search is written at once
    ASSERT_TRUE(fs::exists(file));
    test.log.record("świadczenia", false);
    test.log.record("karta dużej rodziny", false);
    // The next ones within the interval are not: no write on every search.
    EXPECT_EQ(nlohmann::json::parse(read_file(file))["queries"].size(), 1u);
    test.log.flush();
    EXPECT_EQ(nlohmann::json::parse(read_file(file))["queries"].size(), 2u);
    test.log.record("karta dużej rodziny", false);
  }  // the destructor writes the last search

  const nlohmann::json written = nlohmann::json::parse(read_file(file));
  // Exactly this and nothing more: no address, token, cookie or time of day.
  std::set<std::string> keys;
  for (const auto& [key, value] : written.items()) keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"day", "queries", "others"}));
  EXPECT_EQ(written["day"], "2026-12-06");
  EXPECT_EQ(written["others"], (nlohmann::json{{"count", 0}, {"zero", 0}}));
  ASSERT_EQ(written["queries"].size(), 2u);
  for (const auto& entry : written["queries"]) {
    std::set<std::string> entry_keys;
    for (const auto& [key, value] : entry.items()) entry_keys.insert(key);
    EXPECT_EQ(entry_keys, (std::set<std::string>{"q", "count", "zero"}));
  }
  EXPECT_EQ(written["queries"][0],
            (nlohmann::json{{"q", "karta dużej rodziny"}, {"count", 2}, {"zero", 0}}));
  EXPECT_EQ(written["queries"][1],
            (nlohmann::json{{"q", "świadczenia"}, {"count", 2}, {"zero", 1}}));
  // No temporary file is left behind.
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(queries)) files += entry.is_regular_file();
  EXPECT_EQ(files, 1u);

  // A restart goes on counting where the last one stopped.
  TestLog again(queries);
  again.log.record("świadczenia", true);
  EXPECT_EQ(rows(again.log.top(1, false)),
            (decltype(rows({})){{"świadczenia", 3, 2}, {"karta dużej rodziny", 2, 0}}));
  again.log.flush();
  EXPECT_EQ(nlohmann::json::parse(read_file(file))["queries"][0]["count"], 3);
}

TEST(QueryLog, WrittenAtMostEveryFlushInterval) {
  TemporaryFolder folder;
  QueryLogLimits limits;
  limits.flush_interval = std::chrono::milliseconds(0);  // every search may write
  TestLog eager(folder.path() / "eager", limits);
  eager.log.record("raz", false);
  EXPECT_TRUE(fs::exists(folder.path() / "eager/2026-12-06.json"));

  limits.flush_interval = std::chrono::milliseconds(300);
  TestLog test(folder.path() / "queries", limits);
  const fs::path file = folder.path() / "queries/2026-12-06.json";
  test.log.record("pierwsze", false);  // the first search writes
  ASSERT_TRUE(fs::exists(file));
  test.log.record("drugie", false);  // within the interval: in memory only
  EXPECT_EQ(nlohmann::json::parse(read_file(file))["queries"].size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  test.log.record("trzecie", false);
  EXPECT_EQ(nlohmann::json::parse(read_file(file))["queries"].size(), 3u);
}

TEST(QueryLog, AnUnwritableFolderIsNoFailure) {
  TemporaryFolder folder;
  write_file(folder.path() / "plik", "not a folder");
  {
    TestLog test(folder.path() / "plik" / "queries");
    test.log.record("mops", true);
    test.log.flush();  // fails, warns once, goes on
    test.log.record("mops", false);
    test.log.flush();
    EXPECT_EQ(rows(test.log.top(1, false)), (decltype(rows({})){{"mops", 2, 1}}));
  }
  EXPECT_EQ(read_file(folder.path() / "plik"), "not a folder");
}

TEST(QueryLog, AMalformedDayFileIsLeftOutNotFatal) {
  TemporaryFolder folder;
  const fs::path queries = folder.path() / "queries";
  write_file(queries / "2026-12-05.json", "{ not json");
  write_file(queries / "2026-12-04.json",
             R"({"day":"2026-12-04","queries":[{"q":"  Stary  Zapis ","count":4,"zero":1}],)"
             R"("others":{"count":2,"zero":0}})");
  write_file(queries / "2026-12-06.json", "[]");  // today's: set aside, not overwritten
  TestLog test(queries);
  test.log.record("nowy", false);
  test.log.flush();
  EXPECT_EQ(read_file(queries / "2026-12-06.json.unreadable"), "[]");
  EXPECT_EQ(read_file(queries / "2026-12-05.json"), "{ not json");
  const auto summary = test.log.summary(7, false);
  EXPECT_EQ(rows(summary.queries), (decltype(rows({})){{"stary zapis", 4, 1}, {"nowy", 1, 0}}));
  EXPECT_EQ(summary.others.count, 2u);
  EXPECT_EQ(summary.searches, 7u);
}

TEST(QueryLog, ManyThreadsAtOnce) {
  TemporaryFolder folder;
  QueryLogLimits limits;
  limits.flush_interval = std::chrono::milliseconds(1);
  TestLog test(folder.path() / "queries", limits);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&test, t] {
      for (int i = 0; i < 500; ++i) test.log.record("zapytanie " + std::to_string(i % 10), t == 0);
    });
  }
  for (auto& thread : threads) thread.join();
  test.log.flush();
  const auto summary = test.log.summary(1, false);
  EXPECT_EQ(summary.searches, 2000u);
  EXPECT_EQ(summary.zero_searches, 500u);
  ASSERT_EQ(summary.queries.size(), 10u);
  for (const auto& query : summary.queries) EXPECT_EQ(query.count, 200u);
  std::uint64_t written = 0;
  const auto file = nlohmann::json::parse(read_file(folder.path() / "queries/2026-12-06.json"));
  for (const auto& entry : file["queries"]) written += entry["count"].get<std::uint64_t>();
  EXPECT_EQ(written, 2000u);
}

}  // namespace
