#include "archive/search/change_list.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "archive/index/schema.h"
#include "archive/text/vocabulary.h"

namespace mediateka {
namespace {

using schema::boolean_term;

struct Position {
  std::int64_t changed = 0;  // microseconds since the epoch
  std::string id;            // empty: before every item of that second
};

// A keyed BLAKE2b of the position, in hex: 16 bytes.
std::string signature(const std::string& position, const std::string& secret) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  unsigned char mac[16];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(position.data()),
                     position.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     std::min<std::size_t>(secret.size(), crypto_generichash_KEYBYTES_MAX));
  static const char* const kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : mac) hex.append({kDigits[byte >> 4], kDigits[byte & 15]});
  return hex;
}

// "CHANGED.ID.SIGNATURE".
std::string encode(const Position& position, const std::string& secret) {
  const std::string text = std::to_string(position.changed) + "." + position.id;
  return text + "." + signature(text, secret);
}

Position decode(const std::string& text, const std::string& secret) {
  const auto bad = [&] {
    return QueryError("bad_parameter", "'" + text.substr(0, 40) + "' is no position");
  };
  const std::size_t last_dot = text.rfind('.');
  if (last_dot == std::string::npos) throw bad();
  const std::string signed_part = text.substr(0, last_dot);
  const std::string given = text.substr(last_dot + 1);
  const std::string expected = signature(signed_part, secret);
  if (given.size() != expected.size() ||
      sodium_memcmp(given.data(), expected.data(), expected.size()) != 0)
    throw bad();
  Position position;
  const std::size_t dot = signed_part.find('.');
  if (dot == std::string::npos || dot == 0) throw bad();
  const auto changed =
      std::from_chars(signed_part.data(), signed_part.data() + dot, position.changed);
  if (changed.ec != std::errc() || changed.ptr != signed_part.data() + dot || position.changed < 0)
    throw bad();
  position.id = signed_part.substr(dot + 1);
  return position;
}

// When the document changed, in microseconds: what is stored later sorts after what a harvester
// has seen, even within the same second.
std::int64_t changed_micros(const Xapian::Document& document) {
  const std::string value = document.get_value(schema::kSlotChanged);
  return value.empty() ? 0 : std::llround(Xapian::sortable_unserialise(value) * 1e6);
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
                        const ChangeRequest& request, const std::string& secret) {
  // From the start, Position{} skips nothing: no id is empty.
  const Position after = request.after ? decode(*request.after, secret) : Position{};

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
  const auto at = [](std::int64_t micros) {
    return Xapian::sortable_serialise(static_cast<double>(micros) / 1e6);
  };
  // `until` takes in its whole second.
  const auto from = [](std::int64_t seconds) { return seconds * 1000000; };
  const auto until = [](std::int64_t seconds) { return seconds * 1000000 + 999999; };
  if (request.from && request.until) {
    filter(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotChanged,
                         at(from(*request.from)), at(until(*request.until))));
  } else if (request.from) {
    filter(
        Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotChanged, at(from(*request.from))));
  } else if (request.until) {
    // Items without a recorded change count as changed at the epoch: always before `until`.
    filter(Xapian::Query(
        Xapian::Query::OP_OR,
        Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotChanged, at(until(*request.until))),
        Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                      Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotChanged, at(0)))));
  }

  // A tombstone whose item the audience still sees (in another of its databases) is no change.
  const auto still_seen = [&](const Xapian::Document& tombstone) {
    return db.term_exists(boolean_term(schema::kId, tombstone.get_value(schema::kSlotId)));
  };

  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::MultiValueKeyMaker order;
  order.add_value(schema::kSlotChanged);
  order.add_value(schema::kSlotId);
  enquire.set_sort_by_key(&order, false);
  enquire.set_query(query);
  ChangePage page;
  page.total = enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
  {
    Xapian::Enquire tombstones(db);
    tombstones.set_weighting_scheme(Xapian::BoolWeight());
    tombstones.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(schema::kTombstone)));
    const Xapian::MSet all = tombstones.get_mset(0, db.get_doccount());
    for (auto it = all.begin(); it != all.end(); ++it)
      if (still_seen(it.get_document())) --page.total;
  }

  // Later pages skip what they have seen: from the position's second on (items without a
  // recorded change sort first, so from the start for those), then past its ties.
  if (after.changed > 0)
    enquire.set_query(Xapian::Query(
        Xapian::Query::OP_FILTER, query,
        Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotChanged, at(after.changed))));
  const Xapian::doccount chunk = static_cast<Xapian::doccount>(request.limit) + 64;
  Position last;
  for (Xapian::doccount offset = 0;; offset += chunk) {
    const Xapian::MSet mset = enquire.get_mset(offset, chunk);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const Xapian::Document document = it.get_document();
      const Position here{changed_micros(document), document.get_value(schema::kSlotId)};
      if (here.changed < after.changed || (here.changed == after.changed && here.id <= after.id))
        continue;
      const bool deleted = is_tombstone(document);
      if (deleted && still_seen(document)) continue;
      if (page.changes.size() == request.limit) {
        page.next = encode(last, secret);
        return page;
      }
      Change change;
      change.changed = here.changed / 1000000;
      change.deleted = deleted;
      change.item = change.deleted ? gone_item(document)
                                   : item_from_json(nlohmann::json::parse(document.get_data()));
      change.id = change.item.id;
      page.changes.push_back(std::move(change));
      last = here;
    }
    if (mset.size() < chunk) return page;
  }
}

}  // namespace mediateka
