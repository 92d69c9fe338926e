// The server's reading of query strings and search parameters, without sockets.
#include <gtest/gtest.h>

#include "api/api_error.h"
#include "api/api_json.h"
#include "api/search_parameters.h"
#include "http/http_handler.h"
#include "http/json_writer.h"
#include "http/query_string.h"
#include "pages/html_text.h"

namespace mediateka::server {
namespace {

std::string message_of(const std::string& query_string) {
  try {
    parse_search_request(QueryParameters::parse(query_string));
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status, 400);
    return error.code + ": " + error.what();
  }
  return "accepted";
}

TEST(PercentDecode, DecodesEscapesAndPlus) {
  EXPECT_EQ(percent_decode("pomoc+spo%C5%82eczna"), "pomoc społeczna");
  EXPECT_EQ(percent_decode("%c5%82%C3%B3d%C5%BA"), "łódź");
  EXPECT_EQ(percent_decode("a%20b%2Bc%26d%3De"), "a b+c&d=e");
  EXPECT_EQ(percent_decode("%22aktywna+integracja%22"), "\"aktywna integracja\"");
  EXPECT_EQ(percent_decode(""), "");
  EXPECT_EQ(percent_decode("zażółć"), "zażółć");  // raw UTF-8 sent unescaped
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  EXPECT_EQ(percent_decode("%"), std::nullopt);
  EXPECT_EQ(percent_decode("abc%2"), std::nullopt);
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
  EXPECT_EQ(percent_decode("%G0"), std::nullopt);
}

TEST(PercentDecode, RejectsInvalidUtf8AndNul) {
  EXPECT_EQ(percent_decode("%C5"), std::nullopt);           // truncated sequence
  EXPECT_EQ(percent_decode("%FF%FE"), std::nullopt);        // never valid bytes
  EXPECT_EQ(percent_decode("%C0%AF"), std::nullopt);        // overlong '/'
  EXPECT_EQ(percent_decode("%ED%A0%80"), std::nullopt);     // UTF-16 surrogate
  EXPECT_EQ(percent_decode("%F4%90%80%80"), std::nullopt);  // above U+10FFFF
  EXPECT_EQ(percent_decode("a%00b"), std::nullopt);
  EXPECT_EQ(percent_decode("%F0%9F%8E%A5"), "\xF0\x9F\x8E\xA5");  // 4-byte emoji is fine
}

TEST(QueryParameters, KeepsRepeatedParametersInOrder) {
  const auto parameters = QueryParameters::parse("type=radio&q=a+b&type=tv&&empty=&flag");
  EXPECT_EQ(parameters.all("type"), (std::vector<std::string>{"radio", "tv"}));
  EXPECT_EQ(parameters.single("q"), "a b");
  EXPECT_EQ(parameters.single("empty"), std::nullopt);
  EXPECT_EQ(parameters.all("flag"), (std::vector<std::string>{""}));
  EXPECT_EQ(parameters.single("missing"), std::nullopt);
}

TEST(QueryParameters, DecodesNamesAndValuesSeparately) {
  const auto parameters = QueryParameters::parse("campaign=Wspieranie%20rodziny&%71=x%3Dy");
  EXPECT_EQ(parameters.all("campaign"), (std::vector<std::string>{"Wspieranie rodziny"}));
  EXPECT_EQ(parameters.single("q"), "x=y");
}

TEST(QueryParameters, RejectsBadEncodingWithAClearMessage) {
  try {
    QueryParameters::parse("q=%C5");
    FAIL() << "accepted invalid UTF-8";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.code, "bad_parameter");
    EXPECT_STREQ(error.what(), "parameter 'q' is not valid percent-encoded UTF-8");
  }
}

TEST(QueryParameters, SingleValuedParameterGivenTwiceIsAnError) {
  const auto parameters = QueryParameters::parse("page=1&page=2&sort=newest&sort=newest");
  EXPECT_THROW(parameters.single("page"), ApiError);
  EXPECT_EQ(parameters.single("sort"), "newest");
}

TEST(SearchParameters, Defaults) {
  const SearchRequest request = parse_search_request(QueryParameters::parse(""));
  EXPECT_EQ(request.q, "");
  EXPECT_EQ(request.page, 1);
  EXPECT_EQ(request.per_page, 20);
  EXPECT_EQ(request.sort, SortOrder::relevance);
  EXPECT_TRUE(request.types.empty());
  EXPECT_FALSE(request.year_from);
}

TEST(SearchParameters, ReadsEveryParameter) {
  const SearchRequest request = parse_search_request(QueryParameters::parse(
      "q=pomoc+spo%C5%82eczna&type=radio&type=tv&campaign=Wolontariat&campaign=Aktywna+integracja"
      "&project=Razem&year=2012&year=2013&year_from=2010&year_to=2014&sort=oldest&page=3"
      "&per_page=100"));
  EXPECT_EQ(request.q, "pomoc społeczna");
  EXPECT_EQ(request.types, (std::vector<std::string>{"radio", "tv"}));
  EXPECT_EQ(request.campaigns, (std::vector<std::string>{"Wolontariat", "Aktywna integracja"}));
  EXPECT_EQ(request.projects, (std::vector<std::string>{"Razem"}));
  EXPECT_EQ(request.years, (std::vector<int>{2012, 2013}));
  EXPECT_EQ(request.year_from, 2010);
  EXPECT_EQ(request.year_to, 2014);
  EXPECT_EQ(request.sort, SortOrder::oldest);
  EXPECT_EQ(request.page, 3);
  EXPECT_EQ(request.per_page, 100);
}

TEST(SearchParameters, BlankFormFieldsCountAsAbsent) {
  const SearchRequest request =
      parse_search_request(QueryParameters::parse("q=&type=&year_from=&year_to=&page=&sort="));
  EXPECT_TRUE(request.types.empty());
  EXPECT_FALSE(request.year_from);
  EXPECT_EQ(request.page, 1);
}

TEST(SearchParameters, ValidationMessagesNameParameterAndValue) {
  EXPECT_EQ(message_of("page=x"), "bad_parameter: page must be a positive integer, got 'x'");
  EXPECT_EQ(message_of("page=0"), "bad_parameter: page must be a positive integer, got '0'");
  EXPECT_EQ(message_of("page=-1"), "bad_parameter: page must be a positive integer, got '-1'");
  EXPECT_EQ(message_of("page=99999999999999999999"),
            "bad_parameter: page must be at most 1000000, got '99999999999999999999'");
  EXPECT_EQ(message_of("per_page=0"),
            "bad_parameter: per_page must be an integer from 1 to 100, got '0'");
  EXPECT_EQ(message_of("per_page=101"), "bad_parameter: per_page must be at most 100, got '101'");
  EXPECT_EQ(message_of("per_page=2.5"),
            "bad_parameter: per_page must be an integer from 1 to 100, got '2.5'");
  EXPECT_EQ(message_of("sort=best"),
            "bad_parameter: sort must be one of relevance, newest, oldest, got 'best'");
  EXPECT_EQ(message_of("type=podcast"),
            "bad_parameter: type must be one of publication, bulletin, film, radio, tv, got "
            "'podcast'");
  EXPECT_EQ(message_of("year=12"), "bad_parameter: year must be a 4-digit year, got '12'");
  EXPECT_EQ(message_of("year_from=2010a"),
            "bad_parameter: year_from must be a 4-digit year, got '2010a'");
  EXPECT_EQ(message_of("year_from=2015&year_to=2010"),
            "bad_parameter: year_from (2015) must not be after year_to (2010)");
  EXPECT_EQ(message_of("page=1&page=2"),
            "bad_parameter: parameter 'page' may be given only once, got several values");
}

TEST(SearchParameters, LongValuesAreCutInMessages) {
  const std::string message = message_of("sort=" + std::string(5000, 'x'));
  EXPECT_LT(message.size(), 200u);
  EXPECT_NE(message.find("...'"), std::string::npos);
}

TEST(SearchParameters, QueryOfMoreThan1000BytesIsTooLong) {
  EXPECT_EQ(message_of("q=" + std::string(1000, 'a')), "accepted");
  EXPECT_EQ(message_of("q=" + std::string(1001, 'a')),
            "query_too_long: q is 1001 bytes long; at most 1000 are allowed");
  // Bytes are counted after decoding: "%C5%82" is one two-byte letter.
  std::string polish;
  for (int i = 0; i < 500; ++i) polish += "%C5%82";
  EXPECT_EQ(message_of("q=" + polish), "accepted");
}

TEST(SuggestParameters, PrefixAndLimit) {
  const auto request = parse_suggest_request(QueryParameters::parse("q=wol&limit=5"));
  EXPECT_EQ(request.prefix, "wol");
  EXPECT_EQ(request.limit, 5u);
  EXPECT_THROW(parse_suggest_request(QueryParameters::parse("limit=0")), ApiError);
  EXPECT_EQ(parse_suggest_request(QueryParameters::parse("")).limit, 10u);
}

TEST(RequestTarget, FromRawRequestLine) {
  EXPECT_EQ(request_target("GET /api/search?type=radio&type=tv HTTP/1.1"),
            "/api/search?type=radio&type=tv");
  EXPECT_EQ(request_target("GET / HTTP/1.0"), "/");
  EXPECT_EQ(request_target("garbage"), "");
  EXPECT_EQ(request_target("GET  HTTP/1.1"), "");
}

TEST(SearchJson, RendersTheContractsShape) {
  SearchRequest request;
  request.q = "pomoc";
  request.page = 2;
  request.per_page = 5;
  SearchResult result;
  result.total = 7;
  Hit hit;
  hit.item.id = "abc123";
  hit.item.slug = "audycja-o-pomocy";
  hit.item.type = ItemType::radio;
  hit.item.title = "Audycja o pomocy";
  hit.item.year = 2012;
  hit.item.campaigns = {"Wolontariat"};
  hit.score = 0.87;
  hit.snippet = Snippet{"pomocy", {{0, 6}}, true, true};
  hit.locations.push_back({0, 93.5, 97.0, Snippet{"pomoc", {{0, 5}}}});
  hit.locations.push_back({5, 0, 0, Snippet{"strona", {}}});
  result.hits.push_back(hit);
  result.facets.type.push_back({"radio", 7});
  result.facets.year.push_back({"2012", 7});

  const auto json = nlohmann::json::parse(search_result_body(request, result, 1.234));
  EXPECT_EQ(json["query"], "pomoc");
  EXPECT_EQ(json["total"], 7);
  EXPECT_EQ(json["page"], 2);
  EXPECT_EQ(json["per_page"], 5);
  EXPECT_DOUBLE_EQ(json["took_ms"].get<double>(), 1.23);
  // Rounded to hundredths as written in decimal, with no binary tail.
  EXPECT_NE(search_result_body(request, result, 1.899).find("\"took_ms\":1.9,"), std::string::npos);
  EXPECT_TRUE(json["suggestion"].is_null());
  const auto& rendered = json["hits"][0];
  EXPECT_EQ(rendered["id"], "abc123");
  EXPECT_EQ(rendered["type"], "radio");
  EXPECT_EQ(rendered["year"], 2012);
  EXPECT_TRUE(rendered["project"].is_null());
  EXPECT_EQ(rendered["url"], "/i/audycja-o-pomocy");
  EXPECT_EQ(rendered["campaigns"], nlohmann::json::array({"Wolontariat"}));
  EXPECT_EQ(rendered["snippet"], "… <mark>pomocy</mark> …");
  EXPECT_EQ(rendered["locations"][0], nlohmann::json({{"t", 93.5},
                                                      {"end", 97.0},
                                                      {"snippet", "<mark>pomoc</mark>"},
                                                      {"url", "/i/audycja-o-pomocy?t=93"}}));
  EXPECT_EQ(
      rendered["locations"][1],
      nlohmann::json({{"page", 5}, {"snippet", "strona"}, {"url", "/i/audycja-o-pomocy?page=5"}}));
  EXPECT_EQ(json["facets"]["type"], nlohmann::json::parse(R"([{"value":"radio","count":7}])"));
  EXPECT_EQ(json["facets"]["campaign"], nlohmann::json::array());
}

// The archive's snippets are plain text with their matches as byte ranges; the server escapes
// the text and marks the matches, in one place for the API, the pages and the feed.
TEST(SearchJson, SnippetsAreEscapedAndMarked) {
  const Snippet snippet{"a<b> & \"c\" 'd' pomoc", {{0, 4}, {15, 20}}, true, false};
  EXPECT_EQ(snippet_html(snippet),
            "… <mark>a&lt;b&gt;</mark> &amp; &quot;c&quot; &#39;d&#39; <mark>pomoc</mark>");
  EXPECT_EQ(snippet_html(Snippet{"słowo", {}, false, true}), "słowo …");
  EXPECT_EQ(snippet_html(Snippet{}), "");
}

// The search body is written without nlohmann::json: it must read back the same.
TEST(SearchJson, WriterEscapesLikeNlohmann) {
  const std::vector<std::string> texts = {"plain",
                                          "Łódź – reportaż",
                                          "quote \" and \\ backslash",
                                          "tab\tnew\nline\r\b\f",
                                          std::string("nul \0 and \x01 \x1f", 13),
                                          "emoji \xF0\x9F\x98\x80",
                                          "<mark>a</mark> & /"};
  for (const std::string& text : texts) {
    JsonWriter out;
    out.begin_object().key(text).value(text).end_object();
    const std::string expected = nlohmann::json{{text, text}}.dump();
    EXPECT_EQ(out.take(), expected) << text;
  }
  JsonWriter numbers;
  numbers.begin_array().value(93.5).value(97.0).value(0.87).value(1e21).value(-3).value(size_t{7});
  numbers.value(std::nan("")).null().end_array();
  EXPECT_EQ(numbers.take(), nlohmann::json::parse("[93.5,97.0,0.87,1e21,-3,7,null,null]").dump());
}

TEST(SearchJson, WriterReplacesInvalidUtf8) {
  for (const std::string& bad : {std::string("bad \xC5 byte"), std::string("\xC0\xAF overlong"),
                                 std::string("\xED\xA0\x80 surrogate"), std::string("cut \xE2\x82"),
                                 std::string("broken \xE2\x82x then ok \xC5\x82")}) {
    JsonWriter out;
    out.value(bad);
    const std::string body = out.take();
    EXPECT_EQ(body,
              nlohmann::json(bad).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        << bad;
    EXPECT_NO_THROW(nlohmann::json::parse(body)) << body;
  }
}

TEST(SearchJson, InvalidUtf8InStoredTextDoesNotThrow) {
  const std::string body = to_body({{"title", std::string("bad \xC5 byte")}});
  EXPECT_NE(body.find("bad"), std::string::npos);
}

}  // namespace
}  // namespace mediateka::server
