#include "desk/desk.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>

#include "archive/index/audience_databases.h"
#include "archive/index_writer.h"
#include "covers.h"
#include "importer.h"
#include "inference.h"
#include "manifest.h"
#include "run_history.h"
#include "source_list.h"
#include "writer_turns.h"

namespace mediateka::server {

namespace fs = std::filesystem;
using indexer::AuditActor;
using indexer::AuditEntry;
using indexer::ImportStatus;
using indexer::ManifestEntry;
using indexer::ManifestField;
using indexer::Source;
using indexer::SourceList;
using indexer::SourceOutcome;

namespace {

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// One problem of a manifest, from ManifestError's "FILE:LINE: column N 'year': ..." lines
// (or "FILE:LINE:COLUMN: byte ..." for an encoding fault).
nlohmann::ordered_json manifest_problem(const std::string& line_text) {
  static const std::regex kWhere(R"(^.*?:(\d+)(?::(\d+))?: (?:column (\d+)\b)?)");
  nlohmann::ordered_json problem = {
      {"source", nullptr}, {"line", nullptr}, {"column", nullptr}, {"message", line_text}};
  std::smatch found;
  if (std::regex_search(line_text, found, kWhere)) {
    problem["line"] = std::stoi(found[1].str());
    if (found[2].matched) problem["column"] = std::stoi(found[2].str());
    if (found[3].matched) problem["column"] = std::stoi(found[3].str());
  }
  return problem;
}

std::vector<nlohmann::ordered_json> manifest_problems(const std::string& what) {
  std::vector<nlohmann::ordered_json> problems;
  std::istringstream lines(what);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) problems.push_back(manifest_problem(line));
  return problems;
}

// The key of a stored item's source: its URL, or its file on this machine.
std::string source_key_of(const Item& item) {
  if (!item.source.url.empty()) return item.source.url;
  if (!item.source.file.empty()) return item.source.file;
  throw DeskError("the item '" + item.id + "' has no source this server can read again");
}

Source source_for(const std::string& key, std::shared_ptr<const ManifestEntry> entry) {
  Source source;
  if (indexer::is_url(key)) {
    source.display = key;
    source.url = key;
  } else {
    source.display = key;
    source.file = key;
    source.relative_path = fs::path(key).filename().string();
  }
  source.entry = std::move(entry);
  return source;
}

// A manifest row from fields given as a JSON object, validated as a manifest's JSON Lines
// record is (the same messages, naming the field).
ManifestEntry entry_from_fields(const std::string& source, const nlohmann::json& fields,
                                const char* what) {
  nlohmann::json record = fields;
  record["source"] = source;
  try {
    indexer::Manifest manifest = indexer::parse_jsonl_manifest(record.dump(), what);
    if (manifest.entries.size() != 1) throw DeskError(std::string(what) + ": no fields");
    return std::move(manifest.entries.front());
  } catch (const indexer::ManifestError& error) {
    throw DeskError(error.what());
  }
}

// A withdrawn item's row for its restoration: every field as it was, its access included.
ManifestEntry entry_restoring(const Item& item) {
  ManifestEntry entry;
  entry.line = 1;
  entry.source = source_key_of(item);
  entry.id = item.id;
  entry.type = item.type;
  entry.title = item.title;
  entry.campaigns = item.campaigns;
  entry.year = item.year;
  entry.date = item.date;
  entry.project = item.project;
  entry.series = item.series;
  entry.issue = item.issue;
  entry.description = item.description;
  entry.authors = item.authors;
  entry.language = item.language;
  entry.access = item.access;
  for (const Place& place : item.places)
    if (!place.inferred) entry.places.push_back(place.name);
  entry.named = (std::uint32_t{1} << indexer::kManifestFields) - 1;
  return entry;
}

nlohmann::ordered_json changes_json(const SourceOutcome& outcome) {
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const indexer::FieldChange& change : outcome.changes) {
    changes.push_back({{"field", change.field},
                       {"old", change.before},
                       {"new", change.after_from_file ? nlohmann::ordered_json()
                                                      : nlohmann::ordered_json(change.after)}});
    if (change.after_from_file) changes.back()["from_file"] = true;
  }
  return changes;
}

}  // namespace

std::string safe_file_name(const std::string& original_name) {
  // Only the last component of what the client sent, whatever its separators.
  std::string name = original_name;
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  std::string stem, extension;
  const std::size_t dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) {
    extension = name.substr(dot + 1);
    name = name.substr(0, dot);
  }
  const auto clean = [](const std::string& text, std::size_t limit) {
    std::string out;
    for (unsigned char c : text) {
      if (out.size() >= limit) break;
      if (std::isalnum(c) && c < 0x80) {
        out += static_cast<char>(std::tolower(c));
      } else if (!out.empty() && out.back() != '-') {
        out += '-';  // spaces, punctuation and letters outside ASCII alike
      }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
  };
  stem = clean(name, 80);
  extension = clean(extension, 10);
  if (stem.empty()) stem = "plik";
  return extension.empty() ? stem : stem + "." + extension;
}

struct Desk::Run {
  std::string kind;
  SourceList sources;
  bool dry_run = false;
  AuditActor by;
  std::string audit_action;          // instead of the one the outcome implies ("restore"); "" none
  std::map<std::string, int> lines;  // a manifest's line of each source, by display
  std::vector<nlohmann::ordered_json> errors;  // rows refused before the import
  std::string manifest;                        // as the librarian named it
};

namespace {

// The desk's CSRF key, made once and kept readable by the server alone.
std::string load_csrf_key(const fs::path& file) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  std::string key;
  if (std::ifstream in(file, std::ios::binary); in) std::getline(in, key);
  if (key.size() == crypto_generichash_KEYBYTES * 2) return key;
  unsigned char bytes[crypto_generichash_KEYBYTES];
  randombytes_buf(bytes, sizeof bytes);
  char text[sizeof bytes * 2 + 1];
  sodium_bin2hex(text, sizeof text, bytes, sizeof bytes);
  const fs::path part = file.string() + ".part";
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out << text << "\n";
    if (!out) throw std::runtime_error("cannot write " + part.string());
  }
  fs::permissions(part, fs::perms::owner_read | fs::perms::owner_write);
  fs::rename(part, file);
  return text;
}

}  // namespace

Desk::Desk(const Config& config, const media::MediaSettings& media)
    : config_(config),
      media_(media),
      csrf_key_((fs::create_directories(desk_dir(config)),
                 load_csrf_key(fs::path(desk_dir(config)) / "csrf.key"))),
      jobs_(fs::path(desk_dir(config)) / "jobs") {
  fs::create_directories(files_dir());
  fs::create_directories(incoming_dir());
}

std::string Desk::csrf_token(const std::string& token_id) const {
  unsigned char key[crypto_generichash_KEYBYTES];
  sodium_hex2bin(key, sizeof key, csrf_key_.data(), csrf_key_.size(), nullptr, nullptr, nullptr);
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token_id.data()),
                     token_id.size(), key, sizeof key);
  char text[sizeof digest * 2 + 1];
  sodium_bin2hex(text, sizeof text, digest, sizeof digest);
  return text;
}

bool is_replica(const std::string& db) {
  std::error_code ignored;
  return fs::exists(fs::path(public_database(db)) / "XAPIANDB", ignored);
}

fs::path Desk::incoming_dir() const { return fs::path(desk_dir(config_)) / "incoming"; }
fs::path Desk::files_dir() const { return fs::path(desk_dir(config_)) / "files"; }

fs::path Desk::keep_upload(const fs::path& upload, const std::string& original_name) {
  const std::string name = safe_file_name(original_name);
  if (!indexer::importable_kind(name))
    throw DeskError("'" + original_name +
                    "': not a kind of file the archive imports (PDF, video, audio: see "
                    "docs/indexer.md)");
  const fs::path folder = files_dir() / random_hex_id();
  fs::create_directories(folder);
  const fs::path kept = folder / name;
  fs::rename(upload, kept);
  return fs::absolute(kept);
}

nlohmann::ordered_json Desk::run(Run& run, JobControl& control) {
  indexer::ImportSettings settings;
  settings.db = config_.db;
  settings.dry_run = run.dry_run;
  settings.retry_failed = true;  // the librarian asks for it now
  settings.quiet = true;
  settings.progress = indexer::ProgressMode::off;
  settings.thumbs_dir = thumbs_dir(config_);
  settings.make_extractor = indexer::isolated_extractors(media_.ocr, media_.extraction);
  settings.places = config_.places;

  std::optional<indexer::RunRecorder> recorder;
  if (!run.dry_run) {
    indexer::RunFacts facts;
    facts.started = now_seconds();
    facts.user = run.by.label + " (biblioteka, token " + run.by.token_id + ")";
    facts.manifest = run.manifest;
    for (std::size_t i = 0; i < run.sources.size(); ++i)
      facts.sources.push_back(run.sources[i].display);
    recorder.emplace(config_.db, std::move(facts));
  }
  nlohmann::ordered_json added = nlohmann::ordered_json::array(),
                         changed = nlohmann::ordered_json::array(),
                         removed = nlohmann::ordered_json::array(),
                         access = nlohmann::ordered_json::array(),
                         warnings = nlohmann::ordered_json::array(),
                         errors = nlohmann::ordered_json::array();
  for (const auto& error : run.errors) errors.push_back(error);
  std::size_t unchanged = 0, done = 0;
  const std::size_t total = run.sources.size();
  control.progress(0, total);
  settings.on_outcome = [&](const SourceOutcome& outcome) {
    const auto line = run.lines.find(outcome.source);
    const nlohmann::ordered_json where = {
        {"source", outcome.source},
        {"id", outcome.id.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(outcome.id)},
        {"line", line == run.lines.end() ? nlohmann::ordered_json()
                                         : nlohmann::ordered_json(line->second)}};
    switch (outcome.status) {
      case ImportStatus::imported:
        added.push_back(where);
        break;
      case ImportStatus::updated: {
        nlohmann::ordered_json entry = where;
        entry["changes"] = changes_json(outcome);
        if (!outcome.took_over.empty()) entry["took_over"] = outcome.took_over;
        changed.push_back(std::move(entry));
        break;
      }
      case ImportStatus::unchanged:
        ++unchanged;
        break;
      case ImportStatus::failed: {
        nlohmann::ordered_json entry = where;
        entry["column"] = nullptr;
        entry["message"] = outcome.error;
        errors.push_back(std::move(entry));
        break;
      }
      case ImportStatus::removed:
        removed.push_back(where);
        break;
    }
    for (const indexer::FieldChange& change : outcome.changes) {
      if (change.field != "access") continue;
      nlohmann::ordered_json entry = where;
      entry["old"] = change.before;
      entry["new"] = change.after;
      access.push_back(std::move(entry));
    }
    for (const std::string& warning : outcome.warnings)
      warnings.push_back({{"source", outcome.source}, {"warning", warning}});
    if (outcome.status != ImportStatus::removed) control.progress(++done, total);
    if (!outcome.id.empty() && total == 1) control.item(outcome.id);
    if (run.dry_run) return;
    if (recorder) {
      try {
        recorder->add(outcome);
      } catch (const std::exception& error) {
        spdlog::warn("the desk's run is not kept in the runs history: {}", error.what());
        recorder.reset();
      }
    }
    if (std::optional<AuditEntry> entry =
            indexer::audit_entry_for(outcome, run.by, now_seconds())) {
      if (!run.audit_action.empty()) entry->action = run.audit_action;
      try {
        indexer::append_audit(config_.db, *entry);
      } catch (const std::exception& error) {
        spdlog::warn("{}", error.what());
      }
    }
  };

  std::ostringstream log, plan;
  indexer::ImportReport totals;
  if (!run.sources.empty()) {
    totals = indexer::taking_turns(
        [&] { return indexer::run_import(run.sources, settings, config_.campaigns, log, plan); },
        [&] {
          control.waiting(true);
          spdlog::info("desk: waiting for another program writing the index {}", config_.db);
        });
    control.waiting(false);
  }
  if (recorder) {
    try {
      recorder->finish(totals, now_seconds());
    } catch (const std::exception& error) {
      spdlog::warn("the desk's run is not kept in the runs history: {}", error.what());
    }
  }
  nlohmann::ordered_json report = {
      {"dry_run", run.dry_run},
      {"new", std::move(added)},
      {"changed", std::move(changed)},
      {"removed", std::move(removed)},
      {"access_changes", std::move(access)},
      {"errors", std::move(errors)},
      {"warnings", std::move(warnings)},
      {"unchanged", unchanged},
      {"totals",
       {{"imported", totals.count(ImportStatus::imported)},
        {"updated", totals.count(ImportStatus::updated)},
        {"unchanged", totals.count(ImportStatus::unchanged)},
        {"failed", totals.count(ImportStatus::failed) + run.errors.size()},
        {"removed", totals.count(ImportStatus::removed)},
        {"access_changes", totals.access_changes()}}}};
  return report;
}

namespace {

JobRecord job_of(const char* kind, const AuditActor& by, const std::string& item = {}) {
  JobRecord job;
  job.kind = kind;
  job.by = by.token_id;
  job.by_label = by.label;
  job.item = item;
  return job;
}

// A job that changes one source fails when that source failed: the librarian must see why.
nlohmann::ordered_json one_source(nlohmann::ordered_json report) {
  if (!report["errors"].empty())
    throw std::runtime_error(report["errors"][0].value("message", std::string("failed")));
  return report;
}

}  // namespace

std::string Desk::add(const std::map<std::string, std::string>& fields, const fs::path& upload,
                      const std::string& original_name, const std::string& url,
                      const AuditActor& by) {
  if (upload.empty() == url.empty())
    throw DeskError("give either a file or a URL (url), not both and not neither");
  if (!url.empty() && !indexer::is_url(url))
    throw DeskError("url '" + url.substr(0, 200) + "' is not an http:// or https:// address");
  nlohmann::json given = nlohmann::json::object();
  for (const auto& [name, value] : fields) {
    if (name == "source" || name == "replaces")
      throw DeskError("field '" + name + "' cannot be given when adding an item");
    given[name] = value;
  }
  // Validated before the file is kept, so a refused request leaves nothing behind.
  ManifestEntry entry = entry_from_fields(url.empty() ? "upload" : url, given, "the form");
  auto run = std::make_shared<Run>();
  run->kind = "add";
  run->by = by;
  const std::string key = url.empty() ? keep_upload(upload, original_name).string() : url;
  entry.source = key;
  run->sources.push_back(source_for(key, std::make_shared<const ManifestEntry>(std::move(entry))));
  return jobs_.submit(job_of("add", by), [this, run](JobControl& control) {
    return one_source(this->run(*run, control));
  });
}

std::string Desk::edit(const Item& stored, const nlohmann::json& fields, const AuditActor& by) {
  if (!fields.is_object() || fields.empty())
    throw DeskError(
        "the body must be a JSON object of the fields to change, e.g. {\"title\": "
        "\"...\"}");
  for (const char* fixed : {"source", "id", "replaces"})
    if (fields.contains(fixed))
      throw DeskError(std::string("field '") + fixed +
                      "' cannot be changed here (replace the file to change the source)");
  const std::string key = source_key_of(stored);
  ManifestEntry entry = entry_from_fields(key, fields, "the changes");
  entry.id = stored.id;
  auto run = std::make_shared<Run>();
  run->kind = "edit";
  run->by = by;
  run->sources.push_back(source_for(key, std::make_shared<const ManifestEntry>(std::move(entry))));
  return jobs_.submit(job_of("edit", by, stored.id), [this, run](JobControl& control) {
    return one_source(this->run(*run, control));
  });
}

std::string Desk::replace(const Item& stored, const fs::path& upload,
                          const std::string& original_name, const AuditActor& by) {
  const std::string key = keep_upload(upload, original_name).string();
  ManifestEntry entry;
  entry.line = 1;
  entry.source = key;
  entry.replaces = stored.id;
  entry.named = 0;  // every field stays as it is; only the file is new
  auto run = std::make_shared<Run>();
  run->kind = "replace";
  run->by = by;
  run->sources.push_back(source_for(key, std::make_shared<const ManifestEntry>(std::move(entry))));
  return jobs_.submit(job_of("replace", by, stored.id), [this, run](JobControl& control) {
    return one_source(this->run(*run, control));
  });
}

std::string Desk::withdraw(const Item& stored, const AuditActor& by) {
  const std::string id = stored.id;
  return jobs_.submit(job_of("withdraw", by, id), [this, id, by](JobControl& control) {
    const bool removed = indexer::taking_turns(
        [&] {
          IndexWriter index(config_.db);
          const bool done = index.remove(id);
          index.commit();
          return done;
        },
        [&] { control.waiting(true); });
    control.waiting(false);
    if (!removed) throw std::runtime_error("no item '" + id + "' to withdraw (withdrawn already?)");
    indexer::remove_cover(thumbs_dir(config_), id);
    indexer::append_audit(config_.db, AuditEntry{now_seconds(), by, "withdraw", id, {}});
    control.progress(1, 1);
    return nlohmann::ordered_json{{"removed", {{{"id", id}}}}};
  });
}

std::string Desk::restore(const std::string& id, const AuditActor& by) {
  return jobs_.submit(job_of("restore", by, id), [this, id, by](JobControl& control) {
    const std::optional<Item> gone = indexer::taking_turns(
        [&] { return IndexWriter(config_.db).removed_item(id); }, [&] { control.waiting(true); });
    if (!gone)
      throw std::runtime_error("no withdrawn item '" + id +
                               "' to restore (never withdrawn, restored already, or withdrawn "
                               "before the desk kept withdrawn items: import its file again)");
    Run run;
    run.kind = "restore";
    run.by = by;
    run.audit_action = "restore";
    ManifestEntry entry = entry_restoring(*gone);
    const std::string key = entry.source;
    run.sources.push_back(source_for(key, std::make_shared<const ManifestEntry>(std::move(entry))));
    return one_source(this->run(run, control));
  });
}

std::string Desk::import(const fs::path& manifest_file, const std::string& original_name,
                         bool dry_run, const AuditActor& by) {
  // The manifest is kept for the job (the upload's temporary file goes with the request).
  const fs::path kept = fs::path(desk_dir(config_)) / "jobs" / ("manifest-" + random_hex_id());
  fs::rename(manifest_file, kept);
  const std::string name = safe_file_name(original_name.empty() ? "manifest.csv" : original_name);
  const std::string job = jobs_.submit(
      job_of(dry_run ? "preview" : "import", by),
      [this, kept, name, original_name, dry_run, by](JobControl& control) {
        // A preview keeps its manifest for apply_preview.
        struct Cleanup {
          fs::path file;
          ~Cleanup() {
            std::error_code ignored;
            if (!file.empty()) fs::remove(file, ignored);
          }
        } cleanup{dry_run ? fs::path() : kept};
        Run run;
        run.kind = dry_run ? "preview" : "import";
        run.dry_run = dry_run;
        run.by = by;
        run.manifest = original_name;
        indexer::Manifest manifest;
        try {
          std::ifstream in(kept, std::ios::binary);
          const std::string bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
          const std::string text =
              indexer::decode_manifest(bytes, indexer::ManifestEncoding::detect, name);
          const std::string extension = fs::path(name).extension().string();
          manifest = extension == ".jsonl" || extension == ".ndjson"
                         ? indexer::parse_jsonl_manifest(text, name)
                         : indexer::parse_csv_manifest(text, name);
        } catch (const indexer::ManifestError& error) {
          run.errors = manifest_problems(error.what());
          nlohmann::ordered_json report = this->run(run, control);
          if (!dry_run) throw std::runtime_error("the manifest has errors; nothing was imported");
          return report;
        }
        // Rows name URLs, or files under [desk] import_roots; a relative path is taken from the
        // first root. Any other path is an error of its row, and the rest go on.
        std::vector<fs::path> roots;
        for (const std::string& root : config_.desk.import_roots) {
          std::error_code error;
          const fs::path canonical = fs::weakly_canonical(root, error);
          if (!error) roots.push_back(canonical);
        }
        for (ManifestEntry& entry : manifest.entries) {
          const int line = entry.line;
          std::string key = entry.source;
          if (!indexer::is_url(key)) {
            fs::path path(entry.source);
            if (path.is_relative() && !roots.empty()) path = roots.front() / path;
            std::error_code error;
            const fs::path canonical = fs::weakly_canonical(path, error);
            const auto under = [&](const fs::path& root) {
              const auto [end, ignored] =
                  std::mismatch(root.begin(), root.end(), canonical.begin(), canonical.end());
              return end == root.end();
            };
            if (error || path.is_relative() || !std::any_of(roots.begin(), roots.end(), under)) {
              run.errors.push_back(
                  {{"source", entry.source},
                   {"id", nullptr},
                   {"line", line},
                   {"column", nullptr},
                   {"message", roots.empty()
                                   ? "only URLs may be imported through the desk: no [desk] "
                                     "import_roots are configured"
                                   : "'" + entry.source +
                                         "' is not under a folder of [desk] import_roots; give a "
                                         "URL or a file there"}});
              continue;
            }
            key = canonical.string();
          }
          run.lines[key] = line;
          entry.source = key;
          run.sources.push_back(
              source_for(key, std::make_shared<const ManifestEntry>(std::move(entry))));
        }
        return this->run(run, control);
      });
  if (dry_run) {
    std::ofstream link(preview_link(job), std::ios::binary | std::ios::trunc);
    link << nlohmann::json{{"manifest", kept.string()}, {"name", original_name}}.dump();
  }
  return job;
}

fs::path Desk::preview_link(const std::string& job) const {
  return fs::path(desk_dir(config_)) / "jobs" / ("preview-" + job + ".json");
}

bool Desk::preview_kept(const std::string& preview_job) const {
  if (preview_job.size() != 12 ||
      preview_job.find_first_not_of("0123456789abcdef") != std::string::npos)
    return false;
  std::error_code ignored;
  return fs::exists(preview_link(preview_job), ignored);
}

std::string Desk::apply_preview(const std::string& preview_job, const AuditActor& by) {
  const std::optional<JobRecord> job = jobs_.get(preview_job);
  if (!job || job->kind != "preview")
    throw DeskError("no preview job '" + preview_job.substr(0, 40) + "'");
  if (job->state != JobState::done)
    throw DeskError("the preview " + preview_job + " has not ended successfully");
  if (job->report.contains("errors") && !job->report["errors"].empty())
    throw DeskError("the preview " + preview_job +
                    " found errors: correct the manifest and preview it again");
  if (!preview_kept(preview_job))
    throw DeskError("the manifest of preview " + preview_job +
                    " is no longer kept (applied already?): upload it again");
  nlohmann::json link;
  {
    std::ifstream in(preview_link(preview_job), std::ios::binary);
    link = nlohmann::json::parse(in, nullptr, false);
  }
  if (!link.is_object() || !link.contains("manifest"))
    throw DeskError("the manifest of preview " + preview_job + " is damaged: upload it again");
  const fs::path manifest = link.value("manifest", std::string());
  std::error_code ignored;
  fs::remove(preview_link(preview_job), ignored);
  if (!fs::exists(manifest, ignored))
    throw DeskError("the manifest of preview " + preview_job +
                    " is no longer kept: upload it again");
  return import(manifest, link.value("name", std::string()), false, by);
}

}  // namespace mediateka::server
