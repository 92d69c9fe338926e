// GET and POST /oai: OAI-PMH 2.0 (http://www.openarchives.org/OAI/openarchivesprotocol.html)
// with Dublin Core (oai_dc), for the Digital Libraries Federation (FBC) and Europeana. The
// mapping of items to Dublin Core and the registration with FBC are in docs/operations.md.
//
// Records are the items an anonymous visitor may see, and the tombstones of public items that
// went away (deletedRecord "persistent"), in the order they last changed (Searcher::changes). A
// resumption token holds the request and the position after the last record sent, so it stays
// valid while imports commit: records keep their order, and a new or changed one comes after it.
#include "harvest/oai.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "api/api_error.h"
#include "archive/searcher.h"
#include "archive/text/clock_text.h"
#include "harvest/xml_text.h"
#include "pages/pages.h"

namespace mediateka::server {
namespace {

constexpr std::size_t kRecordsPerPage = 100;
constexpr const char* kXmlContentType = "text/xml; charset=utf-8";

// OAI's two granularities, a day or a second (UTC); nullopt when neither. `end_of_day` gives the
// last second of a day, for `until`.
std::optional<std::int64_t> parse_datestamp(const std::string& text, bool end_of_day,
                                            bool& seconds) {
  std::tm parts{};
  seconds = text.size() == 20;
  if (text.size() != 10 && !seconds) return std::nullopt;
  const char* format = seconds ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d";
  const char* end = strptime(text.c_str(), format, &parts);
  if (!end || *end != '\0') return std::nullopt;
  std::tm check = parts;
  const std::int64_t value = static_cast<std::int64_t>(timegm(&check));
  if (check.tm_mday != parts.tm_mday || check.tm_mon != parts.tm_mon) return std::nullopt;
  return seconds || !end_of_day ? value : value + 86399;
}

// A setSpec's value: the allowed characters of OAI's setSpec, others as '-'.
std::string spec_value(const std::string& key) {
  std::string out;
  for (const char c : key) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') ||
                         std::string_view("-_.!~*'()").find(c) != std::string_view::npos;
    out += allowed ? c : '-';
  }
  return out;
}

std::string dcmi_type(ItemType type) {
  switch (type) {
    case ItemType::film:
    case ItemType::tv:
      return "MovingImage";
    case ItemType::radio:
      return "Sound";
    default:
      return "Text";
  }
}

struct OaiError {
  std::string code, message;
};

// The sets: type:VALUE, campaign:VALUE and project:VALUE, from the public facets.
struct SetInfo {
  std::string spec, name;
  std::string field, value;  // "type" / "campaign" / "project" and the facet value
};

std::vector<SetInfo> public_sets(Searcher& searcher) {
  const Facets facets = searcher.facets();
  std::vector<SetInfo> sets;
  for (const FacetValue& value : facets.type)
    sets.push_back({"type:" + value.value, type_label(value.value), "type", value.value});
  for (const FacetValue& value : facets.campaign)
    sets.push_back({"campaign:" + spec_value(Vocabulary::key(value.value)), value.value, "campaign",
                    value.value});
  for (const FacetValue& value : facets.project)
    sets.push_back({"project:" + spec_value(Vocabulary::key(value.value)), value.value, "project",
                    value.value});
  return sets;
}

std::vector<std::string> set_specs(const Item& item, bool keys) {
  std::vector<std::string> specs = {"type:" + std::string(to_string(item.type))};
  for (const std::string& campaign : item.campaigns)
    specs.push_back("campaign:" + spec_value(keys ? campaign : Vocabulary::key(campaign)));
  if (!item.project.empty())
    specs.push_back("project:" + spec_value(keys ? item.project : Vocabulary::key(item.project)));
  return specs;
}

class OaiRequest {
 public:
  OaiRequest(const ApiRequest& request, ServerContext& context)
      : context_(context), base_url_(base_url(request)) {
    for (const auto& [name, value] : request.query.entries()) {
      if (!arguments_.emplace(name, value).second) repeated_ = true;
    }
  }

  Response answer() {
    std::string body;
    try {
      body = dispatch();
    } catch (const OaiError& error) {
      return respond(request_element(false), "<error code=\"" + error.code + "\">" +
                                                 xml_escaped(error.message) + "</error>");
    }
    return respond(request_element(true), body);
  }

 private:
  static std::string base_url(const ApiRequest& request) {
    const auto host = request.headers.find("host");
    const auto proto = request.headers.find("x-forwarded-proto");
    const std::string scheme =
        proto != request.headers.end() && proto->second == "https" ? "https" : "http";
    return scheme + "://" + (host == request.headers.end() ? "localhost" : host->second) + "/oai";
  }

  std::string argument(const std::string& name) const {
    const auto found = arguments_.find(name);
    return found == arguments_.end() ? "" : found->second;
  }
  bool has(const std::string& name) const { return arguments_.count(name) > 0; }

  // Only these arguments besides verb, each at most once; `required` must be there.
  void allow(std::set<std::string> allowed, std::set<std::string> required = {}) const {
    if (repeated_) throw OaiError{"badArgument", "an argument is repeated"};
    for (const auto& [name, value] : arguments_) {
      if (name != "verb" && !allowed.count(name))
        throw OaiError{"badArgument", "'" + name + "' is not an argument of this verb"};
    }
    for (const std::string& name : required) {
      if (argument(name).empty()) throw OaiError{"badArgument", "'" + name + "' is required"};
    }
  }

  std::string dispatch() {
    if (repeated_ && arguments_.count("verb"))
      throw OaiError{"badArgument", "an argument is repeated"};
    const std::string verb = argument("verb");
    if (verb == "Identify") return identify();
    if (verb == "ListMetadataFormats") return list_metadata_formats();
    if (verb == "ListSets") return list_sets();
    if (verb == "GetRecord") return get_record();
    if (verb == "ListIdentifiers") return list(false);
    if (verb == "ListRecords") return list(true);
    throw OaiError{"badVerb", verb.empty() ? "no verb" : "'" + verb + "' is not an OAI-PMH verb"};
  }

  std::string identify() {
    allow({});
    const OaiSettings& oai = context_.oai;
    return "<Identify><repositoryName>" + xml_escaped(oai.repository_name) +
           "</repositoryName><baseURL>" + xml_escaped(base_url_) +
           "</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>" +
           xml_escaped(oai.admin_email) + "</adminEmail><earliestDatestamp>" +
           utc_timestamp(searcher().earliest_change()) +
           "</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
           "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"
           "<description><oai-identifier xmlns=\"http://www.openarchives.org/OAI/2.0/"
           "oai-identifier\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
           "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai-identifier "
           "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd\"><scheme>oai</scheme>"
           "<repositoryIdentifier>" +
           xml_escaped(oai.repository_identifier) +
           "</repositoryIdentifier><delimiter>:</delimiter><sampleIdentifier>oai:" +
           xml_escaped(oai.repository_identifier) +
           ":a1b2c3d4e5f6</sampleIdentifier></oai-identifier></description></Identify>";
  }

  std::string list_metadata_formats() {
    allow({"identifier"});
    if (has("identifier")) find(argument("identifier"));
    return "<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix>"
           "<schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>"
           "<metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace>"
           "</metadataFormat></ListMetadataFormats>";
  }

  std::string list_sets() {
    allow({"resumptionToken"});
    if (has("resumptionToken"))
      throw OaiError{"badResumptionToken", "the list of sets comes in one piece"};
    std::string body = "<ListSets>";
    for (const SetInfo& set : public_sets(searcher()))
      body += "<set><setSpec>" + xml_escaped(set.spec) + "</setSpec><setName>" +
              xml_escaped(set.name) + "</setName></set>";
    return body + "</ListSets>";
  }

  std::string get_record() {
    allow({"identifier", "metadataPrefix"}, {"identifier", "metadataPrefix"});
    check_prefix(argument("metadataPrefix"));
    const Change change = find(argument("identifier"));
    return "<GetRecord>" + record(change, true) + "</GetRecord>";
  }

  // The change of the item an identifier names, or idDoesNotExist.
  Change find(const std::string& identifier) {
    const std::string prefix = "oai:" + context_.oai.repository_identifier + ":";
    if (identifier.rfind(prefix, 0) == 0) {
      ChangeRequest request;
      request.id = identifier.substr(prefix.size());
      request.limit = 1;
      if (!request.id.empty()) {
        const ChangePage page = searcher().changes(request);
        if (!page.changes.empty()) return page.changes.front();
      }
    }
    throw OaiError{"idDoesNotExist", "no record '" + identifier + "'"};
  }

  static void check_prefix(const std::string& prefix) {
    if (prefix != "oai_dc")
      throw OaiError{"cannotDisseminateFormat", "'" + prefix + "' is not offered; oai_dc is"};
  }

  // The state a resumption token carries.
  struct ListState {
    std::string prefix, set, from, until;
    std::size_t cursor = 0;
    std::string after;
  };

  static std::string encode(const ListState& state) {
    const std::string text =
        nlohmann::json{{"p", state.prefix}, {"s", state.set},    {"f", state.from},
                       {"u", state.until},  {"c", state.cursor}, {"a", state.after}}
            .dump();
    std::string hex;
    static const char* const kDigits = "0123456789abcdef";
    for (const char c : text) {
      hex += kDigits[(static_cast<unsigned char>(c) >> 4) & 0xF];
      hex += kDigits[static_cast<unsigned char>(c) & 0xF];
    }
    return hex;
  }

  static ListState decode(const std::string& token) {
    const auto bad = OaiError{"badResumptionToken", "the resumption token is not one of ours"};
    if (token.empty() || token.size() % 2 != 0 || token.size() > 4096) throw bad;
    std::string text;
    for (std::size_t i = 0; i < token.size(); i += 2) {
      const auto digit = [&](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        throw bad;
      };
      text += static_cast<char>(digit(token[i]) * 16 + digit(token[i + 1]));
    }
    try {
      const nlohmann::json json = nlohmann::json::parse(text);
      return {json.at("p").get<std::string>(), json.at("s").get<std::string>(),
              json.at("f").get<std::string>(), json.at("u").get<std::string>(),
              json.at("c").get<std::size_t>(), json.at("a").get<std::string>()};
    } catch (const nlohmann::json::exception&) {
      throw bad;
    }
  }

  std::string list(bool records) {
    ListState state;
    if (has("resumptionToken")) {
      allow({"resumptionToken"});
      state = decode(argument("resumptionToken"));
    } else {
      allow({"metadataPrefix", "from", "until", "set"}, {"metadataPrefix"});
      state.prefix = argument("metadataPrefix");
      state.set = argument("set");
      state.from = argument("from");
      state.until = argument("until");
    }
    check_prefix(state.prefix);

    ChangeRequest request;
    bool from_seconds = false, until_seconds = false;
    if (!state.from.empty()) {
      request.from = parse_datestamp(state.from, false, from_seconds);
      if (!request.from) throw OaiError{"badArgument", "'from' is not a UTC datestamp"};
    }
    if (!state.until.empty()) {
      request.until = parse_datestamp(state.until, true, until_seconds);
      if (!request.until) throw OaiError{"badArgument", "'until' is not a UTC datestamp"};
    }
    if (request.from && request.until && from_seconds != until_seconds)
      throw OaiError{"badArgument", "'from' and 'until' must have the same granularity"};
    if (request.from && request.until && *request.from > *request.until)
      throw OaiError{"badArgument", "'from' is after 'until'"};
    if (!state.set.empty()) {
      const std::vector<SetInfo> sets = public_sets(searcher());
      const auto set = std::find_if(sets.begin(), sets.end(),
                                    [&](const SetInfo& info) { return info.spec == state.set; });
      if (set == sets.end()) throw OaiError{"noRecordsMatch", "no records in that set"};
      (set->field == "type"       ? request.types
       : set->field == "campaign" ? request.campaigns
                                  : request.projects)
          .push_back(set->value);
    }
    if (!state.after.empty()) request.after = state.after;
    request.limit = kRecordsPerPage;

    ChangePage page;
    try {
      page = searcher().changes(request);
    } catch (const QueryError&) {
      throw OaiError{"badResumptionToken", "the resumption token is not one of ours"};
    }
    if (page.changes.empty() && state.cursor == 0)
      throw OaiError{"noRecordsMatch", "no records match the request"};

    const char* element = records ? "ListRecords" : "ListIdentifiers";
    std::string body = std::string("<") + element + ">";
    for (const Change& change : page.changes)
      body += records ? record(change, true) : header(change);
    // The last page carries an empty token, as the protocol asks when the list was resumed.
    if (!page.next.empty() || state.cursor > 0) {
      ListState next = state;
      next.cursor = state.cursor + page.changes.size();
      next.after = page.next;
      body += "<resumptionToken completeListSize=\"" + std::to_string(page.total) + "\" cursor=\"" +
              std::to_string(state.cursor) + "\">" + (page.next.empty() ? "" : encode(next)) +
              "</resumptionToken>";
    }
    return body + "</" + element + ">";
  }

  std::string header(const Change& change) const {
    std::string text = change.deleted ? "<header status=\"deleted\">" : "<header>";
    text += "<identifier>oai:" + xml_escaped(context_.oai.repository_identifier) + ":" +
            xml_escaped(change.id) + "</identifier><datestamp>" + utc_timestamp(change.changed) +
            "</datestamp>";
    for (const std::string& spec : set_specs(change.item, change.deleted))
      text += "<setSpec>" + xml_escaped(spec) + "</setSpec>";
    return text + "</header>";
  }

  std::string record(const Change& change, bool with_metadata) const {
    std::string text = "<record>" + header(change);
    if (with_metadata && !change.deleted)
      text += "<metadata>" + dublin_core(change.item) + "</metadata>";
    return text + "</record>";
  }

  std::string dublin_core(const Item& item) const {
    std::string dc =
        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ "
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">";
    const auto element = [&](const char* name, const std::string& value) {
      if (!value.empty())
        dc += std::string("<dc:") + name + ">" + xml_escaped(value) + "</dc:" + name + ">";
    };
    const std::string site = base_url_.substr(0, base_url_.size() - 4);  // less "/oai"
    element("title", item.title);
    for (const std::string& author : item.authors) element("creator", author);
    for (const std::string& campaign : item.campaigns) element("subject", campaign);
    element("description", item.description);
    element("publisher", context_.oai.repository_name);
    element("date", item.date.empty() && item.year ? std::to_string(*item.year) : item.date);
    element("type", dcmi_type(item.type));
    element("type", type_label(item.type));
    element("format", item.source.mime);
    element("identifier", site + "/i/" + item.slug);
    element("identifier", site + "/files/" + item.id);
    element("language", item.language);
    element("relation", item.project);
    if (!item.series.empty())
      element("relation", item.series + (item.issue.empty() ? "" : " " + item.issue));
    return dc + "</oai_dc:dc>";
  }

  // The <request> element: with the arguments when they were right, bare otherwise (badVerb,
  // badArgument), as the protocol asks.
  std::string request_element(bool with_arguments) const {
    std::string text = "<request";
    if (with_arguments)
      for (const auto& [name, value] : arguments_)
        text += " " + name + "=\"" + xml_escaped(value) + "\"";
    return text + ">" + xml_escaped(base_url_) + "</request>";
  }

  Response respond(const std::string& request, const std::string& body) const {
    std::string text =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
        "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\"><responseDate>" +
        utc_timestamp(static_cast<std::int64_t>(std::time(nullptr))) + "</responseDate>" + request +
        body + "</OAI-PMH>\n";
    return Response{200, kXmlContentType, std::move(text), {{"Cache-Control", "no-cache"}}};
  }

  Searcher& searcher() { return context_.index.searcher(); }

  ServerContext& context_;
  const std::string base_url_;
  std::map<std::string, std::string> arguments_;
  bool repeated_ = false;
};

}  // namespace

Response get_oai(const ApiRequest& request, ServerContext& context) {
  return OaiRequest(request, context).answer();
}

Response post_oai(const ApiRequest& request, ServerContext& context) {
  ApiRequest form = request;
  form.query = QueryParameters::parse(request.body);
  return OaiRequest(form, context).answer();
}

}  // namespace mediateka::server
