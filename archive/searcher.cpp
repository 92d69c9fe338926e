#include "archive/searcher.h"

#include <algorithm>
#include <deque>
#include <list>
#include <map>
#include <set>
#include <string_view>

#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "archive/index/xapian_errors.h"
#include "archive/index_error.h"
#include "archive/search/change_list.h"
#include "archive/search/facet_counter.h"
#include "archive/search/helper_reader.h"
#include "archive/search/highlighter.h"
#include "archive/search/locations.h"
#include "archive/search/query_rewriter.h"
#include "archive/search/shard_names.h"
#include "archive/search/shard_set.h"
#include "archive/text/analyzer.h"

namespace mediateka {

const char* sort_order_name(SortOrder sort) {
  return name_of(kSortOrderNames, sort, SortOrder::relevance);
}

std::optional<SortOrder> parse_sort_order(std::string_view name) {
  return value_named(kSortOrderNames, name);
}

namespace {

using schema::boolean_term;

constexpr int kMaxPerPage = 100;
// A correction of a query that finds something is offered only when it finds at least
// kCorrectionGain times as many items and kCorrectionMore more (docs/api.md, "Suggestion").
constexpr Xapian::doccount kCorrectionGain = 3;
constexpr Xapian::doccount kCorrectionMore = 5;

}  // namespace

// The databases one audience may see, combined (audience_databases.h), with what is read from
// them: the query rewriter, the helper's thread and its counting tables.
struct Searcher::View {
  View(std::vector<ShardSource> sources, ShardOptions options, const Vocabulary& vocabulary,
       bool only_audience_databases)
      : only_audience_databases(only_audience_databases),
        vocabulary(vocabulary),
        shards(std::move(sources), options),
        db(shards.combined()),
        helper(shards.helper_combined()),
        rewriter(std::make_unique<QueryRewriter>(db, this->vocabulary)),
        generation(shards.generation()) {}

  // Whether the index holds restricted items at all: without them no query needs filtering.
  // Whether the view's databases may hold items the audience may not see: never when they are
  // all the audience's own databases of archive folders; a plain database, a stub file or a
  // remote one is filtered item by item.
  bool has_restricted_items() const {
    return !only_audience_databases && db.term_exists(schema::kRestricted);
  }

  // The item documents the audience may see.
  Xapian::Query visible_items(const Audience& audience) const {
    Xapian::Query items(schema::kItemDoc);
    if (audience.all || !has_restricted_items()) return items;
    std::vector<std::string> groups;
    for (const std::string& group : audience.groups) {
      groups.push_back(boolean_term(schema::kAccessGroup, group));
    }
    Xapian::Query hidden(schema::kRestricted);
    if (!groups.empty()) {
      hidden = Xapian::Query(Xapian::Query::OP_AND_NOT, hidden,
                             Xapian::Query(Xapian::Query::OP_OR, groups.begin(), groups.end()));
    }
    return Xapian::Query(Xapian::Query::OP_AND_NOT, items, hidden);
  }

  // Whether some document the audience may see holds `term`.
  bool term_visible(const std::string& term, const Audience& audience) const {
    if (!db.term_exists(term)) return false;
    if (!has_restricted_items()) return true;
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term), visible_items(audience)));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return !enquire.get_mset(0, 1).empty();
  }

  // Whether at least `enough` items match `query`. Xapian's bounds, which cost no counting,
  // often answer (an OR of common words cannot match 3 × as many items as one of them does
  // when that would be more than the archive holds); else matches are counted up to `enough`.
  bool matches_at_least(const Xapian::Query& query, Xapian::doccount enough) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet bounds = enquire.get_mset(0, 0);
    if (bounds.get_matches_upper_bound() < enough) return false;
    if (bounds.get_matches_lower_bound() >= enough) return true;
    return enquire.get_mset(0, 0, enough).get_matches_lower_bound() >= enough;
  }

  Xapian::Enquire enquire_for(const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    return enquire;
  }

  // After the set of shards that answer changed, everything read from them follows.
  void follow_shards() {
    if (generation == shards.generation()) return;
    db = shards.combined();
    helper.set_database(shards.helper_combined());
    rewriter = std::make_unique<QueryRewriter>(db, vocabulary);
    generation = shards.generation();
  }

  bool reopen() {
    const bool changed = shards.reopen();
    follow_shards();
    return changed;
  }

  void drop_failed_shards() {
    shards.drop_failed();
    follow_shards();
  }

  void rejoin_due_shards() {
    if (shards.rejoin_due()) follow_shards();
  }

  const bool only_audience_databases;
  const Vocabulary vocabulary;
  ShardSet shards;
  Xapian::Database db;  // the shards that answer, as one
  HelperReader helper;
  std::unique_ptr<QueryRewriter> rewriter;
  std::uint64_t generation;
  // What the helper's thread counts over (facet_counter.h), kept by and for that thread alone.
  std::vector<CountTarget> count_targets;
};

// The shards as configured, and a View for each audience asked about lately: the anonymous one
// always, others while they are among the last few asked.
struct Searcher::Impl {
  Impl(std::vector<ShardSource> shards, ShardOptions options, const Vocabulary& vocabulary)
      : shards(std::move(shards)), options(options), vocabulary(vocabulary) {
    scan_groups();
    anonymous = make_view(Audience{});
  }

  void scan_groups() {
    groups.clear();
    for (const ShardSource& shard : shards)
      groups.push_back(shard.is_remote() ? std::vector<GroupDatabase>()
                                         : group_databases(shard.db));
  }

  std::vector<ShardSource> databases(const Audience& audience) const {
    std::vector<ShardSource> all;
    for (std::size_t i = 0; i < shards.size(); ++i) {
      for (ShardSource& part : audience_databases(shards[i], groups[i], audience))
        all.push_back(std::move(part));
    }
    return all;
  }

  std::shared_ptr<View> make_view(const Audience& audience) const {
    const bool only_archives = std::all_of(
        shards.begin(), shards.end(),
        [](const ShardSource& shard) { return !shard.is_remote() && is_archive_folder(shard.db); });
    return std::make_shared<View>(databases(audience), options, vocabulary, only_archives);
  }

  View& view(const Audience& audience) {
    if (audience.anonymous()) return *anonymous;
    std::string key;
    for (const ShardSource& part : databases(audience)) key.append(part.db).append(1, '\n');
    for (auto it = others.begin(); it != others.end(); ++it) {
      if (it->first != key) continue;
      others.splice(others.begin(), others, it);
      return *others.front().second;
    }
    others.emplace_front(key, make_view(audience));
    if (others.size() > kMostViews) others.pop_back();
    return *others.front().second;
  }

  bool reopen() {
    scan_groups();
    bool changed = anonymous->reopen();
    for (auto& [key, view] : others) changed = view->reopen() || changed;
    return changed;
  }

  static constexpr std::size_t kMostViews = 4;  // besides the anonymous one
  const std::vector<ShardSource> shards;
  const ShardOptions options;
  const Vocabulary vocabulary;
  std::vector<std::vector<GroupDatabase>> groups;  // of each shard
  std::shared_ptr<View> anonymous;
  std::list<std::pair<std::string, std::shared_ptr<View>>> others;  // the latest asked first
  std::shared_ptr<const SynonymSource> synonyms = std::make_shared<const SynonymSource>();
};

namespace {

// What a reader is shown of an item's access: only its own groups (a librarian sees all).
Item shown_to(Item item, const Audience& audience) {
  if (audience.all) return item;
  std::vector<std::string> shown;
  for (const std::string& group : item.access) {
    if (std::find(audience.groups.begin(), audience.groups.end(), group) != audience.groups.end())
      shown.push_back(group);
  }
  item.access = std::move(shown);
  return item;
}

}  // namespace

// Xapian may throw DatabaseModifiedError when the indexer commits during a long read; the
// answer is to reopen (`index`: Searcher::View) and try again. A shard that stops answering
// (NetworkError, a timeout among them) is left out and the read tried again without it; one
// left out earlier rejoins once it answers. The one place that retries.
template <typename Index, typename Fn>
static auto with_reopen(Index& index, Fn fn) {
  return translating_errors([&] {
    index.rejoin_due_shards();
    int modified = 0;
    for (std::size_t failed = 0;;) {
      try {
        return fn();
      } catch (const Xapian::DatabaseModifiedError&) {
        if (++modified > 2) throw;
        index.reopen();
      } catch (const Xapian::NetworkError&) {
        if (++failed > index.shards.sources().size()) throw;
        index.drop_failed_shards();
      }
    }
  });
}

Searcher::Searcher(const std::vector<std::string>& databases, const Vocabulary& campaigns)
    : Searcher(local_shards(databases), ShardOptions{}, campaigns) {}

Searcher::Searcher(const std::vector<ShardSource>& shards, ShardOptions options,
                   const Vocabulary& campaigns)
    : impl_(
          translating_errors([&] { return std::make_shared<Impl>(shards, options, campaigns); })) {
  // An empty database (no commit yet) has no version; anything else must be ours.
  const std::string version = translating_errors(
      [&] { return impl_->anonymous->db.get_metadata(schema::kSchemaVersionKey); });
  if (!version.empty() && version != std::to_string(schema::kSchemaVersion)) {
    throw SchemaVersionError("the index has schema version " + version + ", this program reads " +
                             std::to_string(schema::kSchemaVersion) +
                             ": import the collection into a new index");
  }
}

bool Searcher::reopen() {
  return translating_errors([&] { return impl_->reopen(); });
}

void Searcher::set_synonyms(std::shared_ptr<const SynonymSource> synonyms) {
  if (synonyms) impl_->synonyms = std::move(synonyms);
}

SearchResult Searcher::search(const SearchRequest& request) {
  if (request.page < 1) throw QueryError("bad_parameter", "page must be 1 or more");
  if (request.per_page < 1 || request.per_page > kMaxPerPage) {
    throw QueryError("bad_parameter", "per_page must be between 1 and 100");
  }
  View& impl = impl_->view(request.audience);
  return with_reopen(impl, [&] {
    SearchResult result;
    Xapian::Query text_query;
    bool has_text = false;
    std::optional<std::string> suggestion;
    WordTerms body_words;
    const auto visible = [&](const std::string& term) {
      return impl.term_visible(term, request.audience);
    };
    const auto synonyms = request.expand ? impl_->synonyms->current() : nullptr;
    if (request.q.find_first_not_of(" \t\r\n") != std::string::npos) {
      text_query = impl.rewriter->parse(request.q, visible, &suggestion, &body_words,
                                        synonyms.get(), &result.expanded);
      has_text = !text_query.empty();
    }
    result.suggestion = suggestion;

    // The items matching the text, less those matching `excluded`. Xapian 1.4 applies an
    // AND_NOT before checking phrases only when it sits inside an AND-like query, as here.
    auto items_matching = [&](const Xapian::Query& excluded) {
      auto less_excluded = [&](const Xapian::Query& query) {
        if (excluded.empty()) return query;
        return Xapian::Query(Xapian::Query::OP_AND_NOT, query, excluded);
      };
      Xapian::Query items = impl.visible_items(request.audience);
      if (!has_text) return less_excluded(items);
      return Xapian::Query(Xapian::Query::OP_FILTER, less_excluded(text_query), items);
    };
    Xapian::Query matched = items_matching(Xapian::Query());
    Xapian::Query ranked = matched;
    if (has_text) {
      ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, matched,
                             impl.rewriter->exact_form_boost(request.q));
    }
    FieldFilters filters = field_filters(request, impl.vocabulary);
    Xapian::Query main = filtered(ranked, {&filters.type, &filters.campaign, &filters.project,
                                           &filters.year, &filters.place});

    Xapian::Enquire enquire = impl.enquire_for(main);
    SortOrder sort = request.sort;
    if (!has_text && sort == SortOrder::relevance) sort = SortOrder::newest;
    if (sort != SortOrder::relevance) {
      enquire.set_sort_by_value_then_relevance(schema::kSlotDate, sort == SortOrder::newest);
    }
    const Xapian::doccount all = impl.db.get_doccount();

    // The total and the facets count every match, in count-only passes on the helper's thread
    // (facet_counter.h), while the ranked pass here reads only as far as the page needs.
    // Counting apart also avoids Xapian 1.4 counting some matches of a remote shard twice when
    // a page is sorted by a value (tested in archive_shards_test).
    MatchCount counted(filtered(matched, {&filters.type, &filters.campaign, &filters.project,
                                          &filters.year, &filters.place})
                           .serialise(),
                       matched.serialise(), filters.values, request.facets,
                       request.facets && request.place_years);
    std::deque<OutsidePass> outside;
    if (request.facets) outside = outside_passes(filters, items_matching);
    // Handles copied here, on the thread that owns them: their reference counts are not atomic.
    const std::vector<Xapian::Database> parts =
        request.facets ? impl.shards.helper_parts() : std::vector<Xapian::Database>();
    HelperReader::Task counting(impl.helper, [&](const Xapian::Database& db) {
      // Kept in impl: a table lives while a reader holds it (facet_table.h).
      impl.count_targets = count_targets(db, parts);
      count_matches(impl.count_targets, counted, outside, all);
    });
    Xapian::doccount offset = static_cast<Xapian::doccount>((request.page - 1) * request.per_page);
    Xapian::MSet mset = enquire.get_mset(offset, request.per_page);

    QueryWords words;
    if (has_text) words = impl.rewriter->query_words(request.q, text_query, std::move(body_words));
    Highlighter highlighter(default_analyzer(), words.lemma_keys, words.folded_forms,
                            words.folded_prefixes);
    std::vector<Xapian::docid> docids;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      docids.push_back(*it);
      Hit hit;
      hit.score = has_text ? it.get_percent() / 100.0 : 1.0;
      result.hits.push_back(std::move(hit));
    }
    // Hit fields read in docid order, the order of their value chunks, so neighbours share blocks.
    std::vector<std::vector<Xapian::termpos>> location_starts(docids.size());
    for (size_t i : docid_order(docids)) {
      schema::HitFields fields = schema::load_hit_fields(
          impl.db.get_document(docids[i], Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotHit));
      result.hits[i].item = std::move(fields.item);
      location_starts[i] = std::move(fields.location_starts);
    }
    if (has_text && request.snippets) {
      add_locations(impl.db, docids, location_starts, docid_order(docids), words, highlighter,
                    result.hits);
    }
    if (request.snippets) {
      for (Hit& hit : result.hits) {
        if (!hit.locations.empty()) {
          hit.snippet = hit.locations.front().snippet;
        } else {
          hit.snippet = highlighter.snippet(hit.item.description.empty() ? hit.item.title
                                                                         : hit.item.description);
        }
      }
    }
    counting.join();  // the counts, meanwhile on the helper's thread
    result.total = counted.total;
    if (result.suggestion) {
      // Offered only when it finds something, and clearly more than the query as typed when that
      // finds something too (docs/api.md, "Suggestion").
      Xapian::Query corrected;
      try {
        std::vector<Expansion> ignored;
        corrected = impl.rewriter->parse(*result.suggestion, visible, nullptr, nullptr,
                                         synonyms.get(), &ignored);
      } catch (const QueryError&) {
        // Cannot happen (only words were replaced); if it did, nothing is offered.
      }
      const Xapian::doccount needed =
          counted.total == 0
              ? 1
              : std::max(counted.total * kCorrectionGain, counted.total + kCorrectionMore);
      if (corrected.empty() ||
          !impl.matches_at_least(filtered(Xapian::Query(Xapian::Query::OP_FILTER, corrected,
                                                        impl.visible_items(request.audience)),
                                          {&filters.type, &filters.campaign, &filters.project,
                                           &filters.year, &filters.place}),
                                 needed)) {
        result.suggestion.reset();
      }
    }
    if (request.facets) {
      FacetCounter counter(request.audience.all);
      counter.add(counted.facets);
      counter.add_places(counted.places);
      if (request.place_years) counter.add_place_years(counted.place_years);
      for (const OutsidePass& pass : outside) counter.add(pass);
      result.facets = counter.facets();
    }

    std::vector<Item*> items;
    for (Hit& hit : result.hits) items.push_back(&hit.item);
    qualify_shadowed_names(impl.shards, impl.visible_items(request.audience), docids, items);
    result.missing_shards = impl.shards.missing();
    return result;
  });
}

SearchRequest whole_archive_request(const Audience& audience) {
  SearchRequest request;
  request.per_page = 1;
  request.snippets = false;
  request.audience = audience;
  return request;
}

Facets Searcher::facets(const Audience& audience) {
  return search(whole_archive_request(audience)).facets;
}

std::optional<Item> Searcher::item_by_id(const std::string& id, const Audience& audience) {
  std::optional<LocatedItem> located = locate_item(id, audience);
  if (!located) return std::nullopt;
  return std::move(located->item);
}

std::optional<Item> Searcher::item_by_slug(const std::string& slug, const Audience& audience) {
  View& view = impl_->view(audience);
  return with_reopen(view, [&]() -> std::optional<Item> {
    auto found = find_named_item(view.shards, schema::kSlug, slug, audience);
    if (!found) return std::nullopt;
    return shown_to(std::move(found->item), audience);
  });
}

std::optional<LocatedItem> Searcher::locate_item(const std::string& id, const Audience& audience) {
  View& view = impl_->view(audience);
  return with_reopen(view, [&]() -> std::optional<LocatedItem> {
    auto found = find_named_item(view.shards, schema::kId, id, audience);
    if (!found) return std::nullopt;
    LocatedItem located{shown_to(std::move(found->item), audience), std::nullopt};
    const ShardSource& shard = view.shards.sources()[found->shard];
    if (shard.is_remote()) located.remote = RemoteItem{shard, found->stored_id};
    return located;
  });
}

bool Searcher::is_gone(const std::string& name, const Audience& audience) {
  View& view = impl_->view(audience);
  return with_reopen(view, [&] {
    if (find_named_item(view.shards, schema::kId, name, audience) ||
        find_named_item(view.shards, schema::kSlug, name, audience))
      return false;
    const std::string bare = stored_name(name);
    Xapian::Enquire enquire(view.db);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_query(Xapian::Query(
        Xapian::Query::OP_FILTER,
        Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(boolean_term(schema::kTombstoneId, bare)),
                      Xapian::Query(boolean_term(schema::kSlug, bare))),
        Xapian::Query(schema::kTombstone)));
    return !enquire.get_mset(0, 1).empty();
  });
}

std::vector<std::string> Searcher::missing_shards() const {
  std::vector<std::string> names = impl_->anonymous->shards.missing();
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<Segment> Searcher::segments(const std::string& item_id, const Audience& audience) {
  View& view = impl_->view(audience);
  return with_reopen(view, [&] {
    std::vector<Segment> segments;
    const auto found = find_named_item(view.shards, schema::kId, item_id, audience);
    if (!found) return segments;
    const Xapian::Database& db = view.db;
    const std::string term = boolean_term(schema::kParent, found->stored_id);
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
      if (view.shards.shard_of(*it) != found->shard) continue;
      segments.push_back(schema::load_segment(db.get_document(*it), 0).segment);
    }
    std::stable_sort(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) {
      if (a.page != b.page) return a.page < b.page;
      return a.start_s < b.start_s;
    });
    return segments;
  });
}

ChangePage Searcher::changes(const ChangeRequest& request, const Audience& audience) {
  View& view = impl_->view(audience);
  return with_reopen(view, [&] {
    return list_changes(view.db, view.visible_items(audience), request,
                        view.db.get_metadata(schema::kSecretKey));
  });
}

std::int64_t Searcher::earliest_change(const Audience& audience) {
  ChangeRequest first;
  first.limit = 1;
  const ChangePage page = changes(first, audience);
  return page.changes.empty() ? 0 : page.changes.front().changed;
}

std::size_t Searcher::item_count(const Audience& audience) {
  View& view = impl_->view(audience);
  return with_reopen(view, [&]() -> std::size_t {
    if (!view.has_restricted_items() || audience.all) return view.db.get_termfreq(schema::kItemDoc);
    Xapian::Enquire enquire(view.db);
    enquire.set_query(view.visible_items(audience));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, view.db.get_doccount()).get_matches_estimated();
  });
}

std::vector<std::string> Searcher::suggest(const std::string& prefix, const Audience& audience,
                                           std::size_t limit) {
  View& view = impl_->view(audience);
  return with_reopen(view, [&] {
    std::vector<std::string> out;
    std::set<std::string> seen;
    auto add = [&](const std::string& text) {
      if (out.size() < limit && seen.insert(fold(text)).second) out.push_back(text);
    };
    std::string folded_prefix = Vocabulary::key(prefix);
    if (folded_prefix.empty()) return out;
    for (const std::string& campaign : view.vocabulary.canonical_names()) {
      if (starts_with(Vocabulary::key(campaign), folded_prefix)) add(campaign);
    }
    // Titles: every typed word, the last one as a prefix.
    std::vector<std::string> typed;
    default_analyzer().tokenize(prefix,
                                [&](const Token& token) { typed.push_back(fold(token.text)); });
    if (typed.empty()) return out;
    const std::string title_prefix = schema::kTitle;
    std::vector<Xapian::Query> parts;
    for (size_t i = 0; i + 1 < typed.size(); ++i) parts.emplace_back(title_prefix + typed[i]);
    parts.emplace_back(Xapian::Query::OP_WILDCARD, title_prefix + typed.back());
    Xapian::Query titles(Xapian::Query::OP_AND, parts.begin(), parts.end());
    titles = Xapian::Query(Xapian::Query::OP_FILTER, titles, view.visible_items(audience));
    Xapian::MSet mset = view.enquire_for(titles).get_mset(0, static_cast<Xapian::doccount>(limit));
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      add(it.get_document().get_value(schema::kSlotTitle));
    }
    // Frequent words: the exact forms (with their diacritics) of words starting so.
    if (typed.size() == 1 && typed.back().size() >= 2) {
      const std::string exact_prefix = schema::kExactForm + typed.back();
      struct Form {
        Xapian::doccount count;
        std::string term;
        std::size_t separator;
      };
      std::vector<Form> forms;
      size_t scanned = 0;
      for (auto it = view.db.allterms_begin(exact_prefix);
           it != view.db.allterms_end(exact_prefix) && scanned < 5000; ++it, ++scanned) {
        const std::string& term = *it;
        size_t separator = term.find(schema::kExactFormSeparator);
        if (separator == std::string::npos) continue;
        forms.push_back({it.get_termfreq(), term, separator});
      }
      std::stable_sort(forms.begin(), forms.end(),
                       [](const Form& a, const Form& b) { return a.count > b.count; });
      for (const Form& form : forms) {
        if (out.size() >= limit) break;
        if (view.term_visible(form.term, audience)) add(form.term.substr(form.separator + 1));
      }
    }
    return out;
  });
}

}  // namespace mediateka
