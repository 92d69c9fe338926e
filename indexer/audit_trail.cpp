#include "audit_trail.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <stdexcept>

#include "archive/text/clock_text.h"

namespace mediateka::indexer {

std::filesystem::path audit_file(const std::string& db) {
  return std::filesystem::path(db) / "audit.jsonl";
}

nlohmann::ordered_json audit_entry_json(const AuditEntry& entry) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (const FieldChange& change : entry.fields)
    fields.push_back({{"field", change.field}, {"old", change.before}, {"new", change.after}});
  return {{"time", utc_timestamp(entry.time)},
          {"token_id", entry.by.token_id.empty() ? nlohmann::ordered_json()
                                                 : nlohmann::ordered_json(entry.by.token_id)},
          {"by", entry.by.label},
          {"action", entry.action},
          {"item", entry.item},
          {"fields", std::move(fields)}};
}

void append_audit(const std::string& db, const AuditEntry& entry) {
  const std::filesystem::path file = audit_file(db);
  const std::string line = audit_entry_json(entry).dump() + "\n";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0)
    throw std::runtime_error("cannot write the audit trail " + file.string() + ": " +
                             std::strerror(errno));
  const ssize_t written = ::write(fd, line.data(), line.size());
  const int saved = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size()))
    throw std::runtime_error("cannot write the audit trail " + file.string() + ": " +
                             (written < 0 ? std::strerror(saved) : "short write"));
}

std::optional<AuditEntry> audit_entry_for(const SourceOutcome& outcome, const AuditActor& by,
                                          std::int64_t now) {
  AuditEntry entry;
  entry.time = now;
  entry.by = by;
  entry.item = outcome.id;
  switch (outcome.status) {
    case ImportStatus::imported:
      entry.action = outcome.took_over.empty() ? "add" : "replace";
      break;
    case ImportStatus::updated:
      entry.action = outcome.took_over.empty() ? "edit" : "replace";
      entry.fields = outcome.changes;
      break;
    case ImportStatus::removed:
      entry.action = "withdraw";
      break;
    case ImportStatus::unchanged:
    case ImportStatus::failed:
      return std::nullopt;
  }
  if (entry.item.empty()) return std::nullopt;
  return entry;
}

std::vector<nlohmann::ordered_json> read_audit(const std::string& db, std::size_t limit) {
  std::deque<std::string> lines;
  std::ifstream in(audit_file(db));
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    lines.push_back(std::move(line));
    if (lines.size() > limit) lines.pop_front();
  }
  std::vector<nlohmann::ordered_json> entries;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    try {
      entries.push_back(nlohmann::ordered_json::parse(*it));
    } catch (const nlohmann::json::exception&) {
      // a line cut short by a full disk tells nothing reliable
    }
  }
  return entries;
}

}  // namespace mediateka::indexer
