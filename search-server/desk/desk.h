// The librarian's desk (docs/desk.md): the changes a librarian makes from a browser, each run
// as a job (jobs.h) through the importer of mediateka-index (indexer/importer.h), so that an
// item added, corrected, replaced, withdrawn or restored here is exactly what the command line
// would have made of it, and both write the same audit trail (indexer/audit_trail.h).
//
// Handlers check what they can before queuing (the fields, the paths of a manifest's rows): a
// request that cannot succeed is refused at once, not turned into a failed job.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "archive/config.h"
#include "archive/item.h"
#include "audit_trail.h"
#include "desk/jobs.h"
#include "media_settings.h"

namespace mediateka::server {

// A request the desk refuses before queuing anything: the fields or the file are wrong.
struct DeskError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Desk {
 public:
  // Creates <desk>/files, <desk>/incoming and <desk>/jobs (config.h desk_dir()). Its imports
  // read files as `media` says ([ocr], [extraction]).
  explicit Desk(const Config& config, const media::MediaSettings& media = {});

  const Config& config() const { return config_; }
  JobQueue& jobs() { return jobs_; }
  std::filesystem::path incoming_dir() const;
  std::filesystem::path files_dir() const;
  // The CSRF token of a librarian's session (admin_api.h): a keyed hash of its token's id, the
  // key kept in <desk>/csrf.key.
  std::string csrf_token(const std::string& token_id) const;

  // Each of these queues a job and returns its id. `fields` are manifest fields (docs/api.md,
  // "Manifests": title, campaign, year, ...), as text; lists separated by ';'.
  //
  // A new item from an uploaded file (moved into the desk's files under a name made from
  // `original_name`, never a path of the client's) or from a URL.
  std::string add(const std::map<std::string, std::string>& fields,
                  const std::filesystem::path& upload, const std::string& original_name,
                  const std::string& url, const indexer::AuditActor& by);
  // Changes the fields named in `fields` (a JSON object: text, list or null to clear) of a
  // stored item; only those.
  std::string edit(const Item& stored, const nlohmann::json& fields, const indexer::AuditActor& by);
  // The item's file is replaced by the upload; the item keeps its id, slug and links.
  std::string replace(const Item& stored, const std::filesystem::path& upload,
                      const std::string& original_name, const indexer::AuditActor& by);
  std::string withdraw(const Item& stored, const indexer::AuditActor& by);
  // Brings a withdrawn item back as it was when withdrawn.
  std::string restore(const std::string& id, const indexer::AuditActor& by);
  // An uploaded manifest: previewed (`dry_run`) or applied.
  // A preview keeps its manifest (<desk>/jobs/preview-JOB.json names it) for apply_preview.
  std::string import(const std::filesystem::path& manifest, const std::string& original_name,
                     bool dry_run, const indexer::AuditActor& by);
  // Applies the manifest of a preview job that ended without errors: a new import job (its id).
  // The preview's manifest is then no longer kept (a preview is applied once). Throws
  // DeskError when the job is not such a preview or its manifest is gone.
  std::string apply_preview(const std::string& preview_job, const indexer::AuditActor& by);
  // Whether the manifest of this preview job is kept (it can be applied).
  bool preview_kept(const std::string& preview_job) const;

 private:
  struct Run;
  nlohmann::ordered_json run(Run& run, JobControl& control);
  std::filesystem::path preview_link(const std::string& job) const;
  std::filesystem::path keep_upload(const std::filesystem::path& upload,
                                    const std::string& original_name);

  Config config_;
  media::MediaSettings media_;
  std::string csrf_key_;
  JobQueue jobs_;
};

// Whether `db` is a replica that xapian-replicate keeps (its databases are stubs pointing at
// the replicated copy): never written by the desk.
bool is_replica(const std::string& db);

// A name for an uploaded file made only of a-z, 0-9, '.', '-' and '_', keeping its extension
// ("Raport 2019 (wersja ostateczna).PDF" → "raport-2019-wersja-ostateczna.pdf").
std::string safe_file_name(const std::string& original_name);

}  // namespace mediateka::server
