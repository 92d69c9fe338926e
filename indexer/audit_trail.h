// The audit trail: who changed what in the archive, when, old → new, for every change made
// through the librarian's desk or the command line (docs/desk.md, "Audit trail").
//
// One JSON object a line in <db>/audit.jsonl, appended (a line is one write(2) on a file opened
// O_APPEND, so the desk and mediateka-index, which write only while holding the index's lock,
// never interleave). Nothing secret is written: a token's id, never the token.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "import_report.h"

namespace mediateka::indexer {

// Who made a change: a librarian's token (its id and label), or a user of the command line
// (no token id; the label is the user's name).
struct AuditActor {
  std::string token_id;
  std::string label;
};

struct AuditEntry {
  std::int64_t time = 0;  // seconds since the epoch
  AuditActor by;
  // "add", "edit", "replace", "withdraw", "restore", "token_create", "token_revoke"
  std::string action;
  std::string item;                 // the item's id (the token's id for token actions)
  std::vector<FieldChange> fields;  // old → new; empty when nothing field by field
};

std::filesystem::path audit_file(const std::string& db);

// Appends one entry. Throws std::runtime_error when the file cannot be written.
void append_audit(const std::string& db, const AuditEntry& entry);

// What an import's outcome changed, as an entry: nullopt for a source unchanged or failed.
std::optional<AuditEntry> audit_entry_for(const SourceOutcome& outcome, const AuditActor& by,
                                          std::int64_t now);

// {"time": "...Z", "token_id": ID | null, "by": LABEL, "action", "item",
//  "fields": [{"field", "old", "new"}]}
nlohmann::ordered_json audit_entry_json(const AuditEntry& entry);

// The last `limit` entries, newest first, as audit_entry_json made them. A damaged line is
// left out.
std::vector<nlohmann::ordered_json> read_audit(const std::string& db, std::size_t limit);

}  // namespace mediateka::indexer
