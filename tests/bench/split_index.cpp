// mediateka-bench-split-index SRC DEST... — deals the items of an index out to several new
// indexes, in turn, each with the segment documents that follow it, for the shard benchmark
// (scripts/bench-scale.sh): shards holding exactly the documents one import made, without
// importing the collection again. Every shard gets the source's metadata (schema version,
// tokens) and its whole spelling table. Not a tool for librarians: an index meant to be a
// shard is made by mediateka-index on its own collection.
#include <xapian.h>

#include <iostream>
#include <memory>
#include <vector>

#include "archive/index/schema.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: mediateka-bench-split-index SRC DEST...\n";
    return 2;
  }
  try {
    Xapian::Database source(argv[1]);
    std::vector<std::unique_ptr<Xapian::WritableDatabase>> shards;
    for (int i = 2; i < argc; ++i) {
      shards.push_back(
          std::make_unique<Xapian::WritableDatabase>(argv[i], Xapian::DB_CREATE_OR_OVERWRITE));
    }
    std::size_t items = 0, shard = 0;
    const std::string item_term = mediateka::schema::kItemDoc;
    Xapian::PostingIterator next_item = source.postlist_begin(item_term);
    for (Xapian::docid docid = 1; docid <= source.get_lastdocid(); ++docid) {
      Xapian::Document document;
      try {
        document = source.get_document(docid);
      } catch (const Xapian::DocNotFoundError&) {
        continue;
      }
      if (next_item != source.postlist_end(item_term) && *next_item == docid) {
        shard = items++ % shards.size();
        ++next_item;
      }
      shards[shard]->add_document(document);
    }
    for (auto& db : shards) {
      for (auto key = source.metadata_keys_begin(); key != source.metadata_keys_end(); ++key) {
        db->set_metadata(*key, source.get_metadata(*key));
      }
      for (auto word = source.spellings_begin(); word != source.spellings_end(); ++word) {
        db->add_spelling(*word, word.get_termfreq());
      }
      db->commit();
    }
    std::cout << items << " items dealt to " << shards.size() << " shards\n";
  } catch (const Xapian::Error& error) {
    std::cerr << "mediateka-bench-split-index: " << error.get_description() << '\n';
    return 1;
  }
  return 0;
}
