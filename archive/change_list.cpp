#include "change_list.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "schema.h"
#include "vocabulary.h"

namespace mediateka {
namespace {

using schema::boolean_term;

struct Position {
  std::int64_t changed = 0;
  Xapian::docid docid = 0;
};

// "CHANGED.DOCID", both decimal.
std::string encode(const Position& position) {
  return std::to_string(position.changed) + "." + std::to_string(position.docid);
}

Position decode(const std::string& text) {
  Position position;
  const std::size_t dot = text.find('.');
  const char* end = text.data() + text.size();
  bool ok = dot != std::string::npos && dot > 0 && dot + 1 < text.size();
  if (ok) {
    const auto changed = std::from_chars(text.data(), text.data() + dot, position.changed);
    const auto docid = std::from_chars(text.data() + dot + 1, end, position.docid);
    ok = changed.ec == std::errc() && changed.ptr == text.data() + dot && docid.ec == std::errc() &&
         docid.ptr == end && position.changed >= 0;
  }
  if (!ok) throw QueryError("bad_parameter", "'" + text.substr(0, 40) + "' is no position");
  return position;
}

std::int64_t changed_of(const Xapian::Document& document) {
  const std::string value = document.get_value(schema::kSlotChanged);
  return value.empty() ? 0 : static_cast<std::int64_t>(Xapian::sortable_unserialise(value));
}

Xapian::Query any_of(const char* prefix, const std::vector<std::string>& values, bool keyed) {
  std::vector<Xapian::Query> terms;
  for (const std::string& value : values)
    terms.emplace_back(boolean_term(prefix, keyed ? Vocabulary::key(value) : value));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

bool is_tombstone(const Xapian::Document& document) {
  auto term = document.termlist_begin();
  term.skip_to(schema::kTombstone);
  return term != document.termlist_end() && *term == schema::kTombstone;
}

// A tombstone's item: its id and the set terms it kept.
Item gone_item(const Xapian::Document& document) {
  Item item;
  item.id = nlohmann::json::parse(document.get_data()).value("id", std::string());
  const std::string type_prefix = schema::kType, campaign_prefix = schema::kCampaign,
                    project_prefix = schema::kProject;
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
    const std::string& name = *term;
    if (name.rfind(type_prefix, 0) == 0) {
      if (auto type = parse_item_type(name.substr(type_prefix.size()))) item.type = *type;
    } else if (name.rfind(campaign_prefix, 0) == 0 && name.rfind("XCT", 0) != 0) {
      item.campaigns.push_back(name.substr(campaign_prefix.size()));
    } else if (name.rfind(project_prefix, 0) == 0) {
      item.project = name.substr(project_prefix.size());
    }
  }
  return item;
}

}  // namespace

ChangePage list_changes(const Xapian::Database& db, const Xapian::Query& visible,
                        const ChangeRequest& request) {
  // From the start, Position{} skips nothing: no docid is 0.
  const Position after = request.after ? decode(*request.after) : Position{};

  Xapian::Query query(Xapian::Query::OP_OR, visible, Xapian::Query(schema::kTombstone));
  const auto filter = [&](const Xapian::Query& by) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query, by);
  };
  if (!request.id.empty())
    filter(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(boolean_term(schema::kId, request.id)),
                         Xapian::Query(boolean_term(schema::kTombstoneId, request.id))));
  if (!request.types.empty()) filter(any_of(schema::kType, request.types, false));
  if (!request.campaigns.empty()) filter(any_of(schema::kCampaign, request.campaigns, true));
  if (!request.projects.empty()) filter(any_of(schema::kProject, request.projects, true));
  const auto at = [](std::int64_t seconds) {
    return Xapian::sortable_serialise(static_cast<double>(seconds));
  };
  if (request.from && request.until) {
    filter(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotChanged, at(*request.from),
                         at(*request.until)));
  } else if (request.from) {
    filter(Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotChanged, at(*request.from)));
  } else if (request.until) {
    // Items without a recorded change count as changed at the epoch: always before `until`.
    filter(Xapian::Query(
        Xapian::Query::OP_OR,
        Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotChanged, at(*request.until)),
        Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                      Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotChanged, at(0)))));
  }

  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_sort_by_value(schema::kSlotChanged, false);  // then by docid, ascending
  enquire.set_query(query);
  ChangePage page;
  page.total = enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();

  // Later pages skip what they have seen: from the position's second on (items without a
  // recorded change sort first, so from the start for those), then past its ties.
  if (after.changed > 0)
    enquire.set_query(Xapian::Query(
        Xapian::Query::OP_FILTER, query,
        Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotChanged, at(after.changed))));
  const Xapian::doccount chunk = static_cast<Xapian::doccount>(request.limit) + 64;
  Xapian::docid last_docid = 0;
  for (Xapian::doccount offset = 0;; offset += chunk) {
    const Xapian::MSet mset = enquire.get_mset(offset, chunk);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const Xapian::Document document = it.get_document();
      const Position here{changed_of(document), *it};
      if (here.changed < after.changed ||
          (here.changed == after.changed && here.docid <= after.docid))
        continue;
      if (page.changes.size() == request.limit) {
        page.next = encode({page.changes.back().changed, last_docid});
        return page;
      }
      Change change;
      change.changed = here.changed;
      change.deleted = is_tombstone(document);
      change.item = change.deleted ? gone_item(document)
                                   : item_from_json(nlohmann::json::parse(document.get_data()));
      change.id = change.item.id;
      page.changes.push_back(std::move(change));
      last_docid = here.docid;
    }
    if (mset.size() < chunk) return page;
  }
}

}  // namespace mediateka
