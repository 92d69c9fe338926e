#include "archive/write/item_document.h"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "archive/index/schema.h"
#include "archive/index/xapian_errors.h"
#include "archive/text/synonyms.h"
#include "archive/text/vocabulary.h"
#include "archive/write/document_text.h"

namespace mediateka {
namespace {

std::string sort_date(const Item& item) {
  std::string digits;
  for (char c : item.date) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (digits.size() >= 4) {
    digits.resize(8, '0');
    return digits;
  }
  return item.year ? std::to_string(*item.year) + "0000" : std::string();
}

// The item's own fields, heavier than body text, the title most.
void index_item_fields(const Item& item, DocumentText& text) {
  text.add(item.title, schema::kTitle);
  text.add(item.title, {}, 5);
  text.break_phrase();
  for (const std::string& campaign : item.campaigns) {
    text.add(campaign, schema::kCampaignText);
    text.add(campaign, {}, 2);
    text.break_phrase();
  }
  for (const std::string* field : {&item.project, &item.series, &item.issue, &item.description}) {
    text.add(*field, {}, 2);
    text.break_phrase();
  }
  for (const std::string& author : item.authors) {
    text.add(author, {}, 2);
    text.break_phrase();
  }
}

}  // namespace

void add_set_terms(Xapian::Document& document, const Item& item) {
  using schema::boolean_term;
  document.add_boolean_term(boolean_term(schema::kType, std::string(to_string(item.type))));
  for (const std::string& campaign : item.campaigns)
    document.add_boolean_term(boolean_term(schema::kCampaign, Vocabulary::key(campaign)));
  if (!item.project.empty())
    document.add_boolean_term(boolean_term(schema::kProject, Vocabulary::key(item.project)));
}

void add_item_fields(Xapian::Document& document, const Item& item, const std::string& source_key) {
  using schema::boolean_term;
  document.add_boolean_term(schema::kItemDoc);
  document.add_boolean_term(boolean_term(schema::kId, item.id));
  document.add_boolean_term(boolean_term(schema::kSlug, item.slug));
  document.add_boolean_term(boolean_term(schema::kSourceKey, source_key));
  if (!item.source.checksum.empty()) {
    document.add_boolean_term(boolean_term(schema::kChecksum, item.source.checksum));
  }
  add_set_terms(document, item);
  if (item.year) document.add_boolean_term(boolean_term(schema::kYear, std::to_string(*item.year)));
  for (const Place& place : item.places) {
    document.add_boolean_term(boolean_term(place.unknown ? schema::kUnknownPlace : schema::kPlace,
                                           Vocabulary::key(place.name)));
  }
  if (!item.access.empty()) document.add_boolean_term(schema::kRestricted);
  for (const std::string& group : item.access)
    document.add_boolean_term(boolean_term(schema::kAccessGroup, group));
  if (!item.ocr_pages.empty()) document.add_boolean_term(schema::kHasOcrPages);
  if (!item.repaired_pages.empty()) document.add_boolean_term(schema::kHasRepairedPages);

  document.add_value(schema::kSlotFacets, schema::facet_value(item));
  if (!item.places.empty()) {
    document.add_value(schema::kSlotPlaces, schema::place_value(item));
    document.add_value(schema::kSlotPlaceYears, schema::place_year_value(item));
  }
  if (item.year) document.add_value(schema::kSlotYear, Xapian::sortable_serialise(*item.year));
  document.add_value(schema::kSlotTitle, item.title);
  document.add_value(schema::kSlotDate, schema::date_order_value(sort_date(item), item.id));
  document.add_value(schema::kSlotId, item.id);
  document.set_data(item_to_json(item, JsonView::stored).dump());
}

std::string changed_now() {
  // To the microsecond (exact in a double until the year 2255): changes keep the order they
  // were made in, even within a second (change_list.h).
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return Xapian::sortable_serialise(static_cast<double>(micros) / 1e6);
}

// The item's fields, then its places: chapters (a search for a chapter's title lands at its
// start), pages and cues, each stored as a document of its own, their words indexed in the
// item's document.
static std::unique_ptr<AnalysedItem::Parts> analysed_parts(const Item& item) {
  auto parts = std::make_unique<AnalysedItem::Parts>();
  DocumentText text(default_analyzer(), parts->item_document, Synonyms::shipped().get());
  index_item_fields(item, text);
  auto add_location = [&](const Segment& segment, unsigned item_weight) {
    DocumentText::LocationWords words = text.add_location(segment.text, item_weight);
    text.break_phrase();
    parts->location_starts.push_back(words.first_position);
    parts->locations.push_back({segment, std::move(words.words)});
  };
  for (const Chapter& chapter : item.chapters) {
    if (chapter.title.empty()) continue;
    Segment segment;
    segment.start_s = chapter.start_s;
    segment.end_s = chapter.end_s > chapter.start_s ? chapter.end_s : chapter.start_s;
    segment.text = chapter.title;
    add_location(segment, 2);
  }
  for (const Segment& segment : item.segments) {
    if (!segment.text.empty()) add_location(segment, 1);
  }
  // Each audience's database has its own spelling table (audience_databases.h): a restricted
  // item's words reach only the visitors who may see it.
  parts->words.assign(text.words().begin(), text.words().end());
  return parts;
}

AnalysedItem::AnalysedItem(const Item& item)
    : parts_(translating_errors([&] { return analysed_parts(item); })) {}

AnalysedItem::AnalysedItem(AnalysedItem&&) noexcept = default;
AnalysedItem& AnalysedItem::operator=(AnalysedItem&&) noexcept = default;
AnalysedItem::~AnalysedItem() = default;

}  // namespace mediateka
