#include "archive/search/shard_names.h"

#include <map>

#include "archive/index/schema.h"

namespace mediateka {
namespace {

using schema::boolean_term;

constexpr std::string_view kQualifier = "--";

std::string qualified(const std::string& name, const ShardSource& shard) {
  return name + std::string(kQualifier) + shard_key(shard);
}

// The document holding `term` that the audience may see, in the earliest shard (or only in
// shard `only`).
std::optional<NamedItem> earliest_holder(const ShardSet& shards, const std::string& term,
                                         std::optional<std::size_t> only,
                                         const Audience& audience) {
  const Xapian::Database& db = shards.combined();
  std::optional<NamedItem> best;
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    const std::size_t shard = shards.shard_of(*it);
    if ((only && shard != *only) || (best && shard >= best->shard)) continue;
    const Xapian::Document document = db.get_document(*it);
    if (!schema::is_item_document(document)) continue;
    Item item = schema::load_item(document);
    if (!audience.sees(item.access)) continue;
    std::string stored_id = item.id;
    best = NamedItem{*it, shard, std::move(item), std::move(stored_id)};
  }
  return best;
}

// Whether an item of a shard before `shard` that the audience may see holds `term`.
bool held_earlier(const ShardSet& shards, const std::string& term, std::size_t shard,
                  const Audience& audience) {
  const Xapian::Database& db = shards.combined();
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    if (shards.shard_of(*it) >= shard) continue;
    const Xapian::Document document = db.get_document(*it);
    if (schema::is_item_document(document) && audience.sees(schema::load_item(document).access))
      return true;
  }
  return false;
}

NamedItem with_archive_names(const ShardSet& shards, NamedItem found, const Audience& audience) {
  const ShardSource& source = shards.sources()[found.shard];
  Item& item = found.item;
  if (held_earlier(shards, boolean_term(schema::kId, item.id), found.shard, audience)) {
    item.id = qualified(item.id, source);
  }
  if (held_earlier(shards, boolean_term(schema::kSlug, item.slug), found.shard, audience)) {
    item.slug = qualified(item.slug, source);
  }
  return found;
}

}  // namespace

std::string stored_name(const std::string& name) {
  const std::size_t at = name.rfind(kQualifier);
  return at == std::string::npos ? name : name.substr(0, at);
}

std::optional<NamedItem> find_named_item(const ShardSet& shards, const char* prefix,
                                         const std::string& name, const Audience& audience) {
  if (auto found = earliest_holder(shards, boolean_term(prefix, name), std::nullopt, audience)) {
    return with_archive_names(shards, std::move(*found), audience);
  }
  const std::size_t at = name.rfind(kQualifier);
  if (at == std::string::npos || shards.sources().size() < 2) return std::nullopt;
  const std::string key = name.substr(at + kQualifier.size());
  for (std::size_t shard = 0; shard < shards.sources().size(); ++shard) {
    if (shard_key(shards.sources()[shard]) != key) continue;
    auto found = earliest_holder(shards, boolean_term(prefix, name.substr(0, at)), shard, audience);
    if (found) return with_archive_names(shards, std::move(*found), audience);
  }
  return std::nullopt;
}

void qualify_shadowed_names(const ShardSet& shards, const Xapian::Query& visible,
                            const std::vector<Xapian::docid>& docids, std::vector<Item*> items) {
  const Xapian::Database& db = shards.combined();
  if (db.size() < 2 || docids.empty()) return;
  const std::size_t first = shards.shard_of(1);
  std::vector<std::string> terms;
  for (std::size_t i = 0; i < docids.size(); ++i) {
    if (shards.shard_of(docids[i]) == first) continue;
    terms.push_back(boolean_term(schema::kId, items[i]->id));
    terms.push_back(boolean_term(schema::kSlug, items[i]->slug));
  }
  if (terms.empty()) return;
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                  Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                                  visible));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  const auto most = static_cast<Xapian::doccount>(terms.size() * db.size());
  std::map<std::string, std::size_t> first_id, first_slug;  // name → earliest shard holding it
  const auto note = [](std::map<std::string, std::size_t>& firsts, const std::string& name,
                       std::size_t shard) {
    auto [it, added] = firsts.emplace(name, shard);
    if (!added && shard < it->second) it->second = shard;
  };
  Xapian::MSet holders = enquire.get_mset(0, most);
  for (auto it = holders.begin(); it != holders.end(); ++it) {
    const schema::HitFields fields = schema::load_hit_fields(
        db.get_document(*it, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotHit));
    note(first_id, fields.item.id, shards.shard_of(*it));
    note(first_slug, fields.item.slug, shards.shard_of(*it));
  }
  for (std::size_t i = 0; i < docids.size(); ++i) {
    const std::size_t shard = shards.shard_of(docids[i]);
    const ShardSource& source = shards.sources()[shard];
    Item& item = *items[i];
    if (first_id.count(item.id) && first_id[item.id] < shard) item.id = qualified(item.id, source);
    if (first_slug.count(item.slug) && first_slug[item.slug] < shard) {
      item.slug = qualified(item.slug, source);
    }
  }
}

}  // namespace mediateka
