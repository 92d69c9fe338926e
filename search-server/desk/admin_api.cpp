#include "desk/admin_api.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "api/api_error.h"
#include "api/api_json.h"
#include "archive/access/access_tokens.h"
#include "archive/index_error.h"
#include "archive/searcher.h"
#include "archive/text/clock_text.h"
#include "archive/text/slug.h"
#include "archive/text/synonyms.h"
#include "audit_trail.h"
#include "authorization.h"
#include "desk/desk.h"
#include "run_history.h"
#include "writer_turns.h"

namespace mediateka::server {

namespace fs = std::filesystem;

namespace {

constexpr auto kEditWait = std::chrono::seconds(60);

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

Response json_response(int status, const nlohmann::ordered_json& body,
                       std::vector<std::pair<std::string, std::string>> headers = {}) {
  return Response{status, kJsonContentType, body.dump(), std::move(headers)};
}

Response accepted(const std::string& job) {
  return json_response(202, {{"job", job}}, {{"Location", "/api/admin/jobs/" + job}});
}

std::string header_of(const ApiRequest& request, const char* name) {
  const auto found = request.headers.find(name);
  return found == request.headers.end() ? std::string() : found->second;
}

indexer::AuditActor actor_of(const ApiRequest& request) {
  return {request.token_id, request.token_label};
}

// The item a librarian names by id or slug: any item, restricted ones included.
Item stored_item(const ApiRequest& request, ServerContext& context) {
  const std::string& name = request.path_parameters.at("id");
  std::optional<Item> item;
  Searcher& searcher = context.index.searcher();
  if (is_valid_identifier(name)) item = searcher.item_by_id(name, Audience::everyone());
  if (!item) item = searcher.item_by_slug(name, Audience::everyone());
  if (!item && is_valid_identifier(name) && searcher.is_gone(name, Audience::everyone()))
    throw gone("item '" + name + "' is withdrawn; POST /api/admin/items/" + name +
               "/restore brings it back");
  if (!item) throw not_found("no item with id or slug '" + name.substr(0, 120) + "'");
  return *item;
}

}  // namespace

std::string csrf_token(const ServerContext& context, const std::string& token_id) {
  return context.desk ? context.desk->csrf_token(token_id) : std::string();
}

DeskForm desk_form(const ApiRequest& request, const char* file_field) {
  DeskForm form;
  if (request.form) {
    for (const auto& [name, value] : request.form->fields) form.fields[name] = value;
    for (const UploadedFile& file : request.form->files) {
      if (file.field != file_field) continue;
      form.file = file.path;
      form.file_name = file.filename;
      break;
    }
    return form;
  }
  const std::string type = header_of(request, "content-type");
  if (!request.body.empty()) {
    if (type.rfind("application/x-www-form-urlencoded", 0) != 0)
      throw ApiError(415, "unsupported_media_type",
                     "send multipart/form-data (with a file) or application/x-www-form-urlencoded");
    const QueryParameters parameters = QueryParameters::parse(request.body);
    for (const auto& [name, value] : parameters.entries()) form.fields[name] = value;
  }
  return form;
}

Desk& desk_for(const ApiRequest& request, ServerContext& context, bool changes) {
  if (request.token_id.empty())
    throw ApiError(401, "unauthorized", "the librarian's desk needs a librarian's token");
  if (!request.librarian)
    throw ApiError(403, "forbidden", "this token is a reader's; the desk needs a librarian's");
  if (!context.desk)
    throw ApiError(503, "desk_disabled",
                   "this server does not write its index (desk.enabled is off, or it serves a "
                   "replica or shards)");
  if (changes && request.from_cookie) {
    std::string given = header_of(request, "x-csrf-token");
    if (given.empty() && request.form) {
      const auto field = request.form->fields.find("csrf");
      if (field != request.form->fields.end()) given = field->second;
    }
    if (given.empty() &&
        header_of(request, "content-type").rfind("application/x-www-form-urlencoded", 0) == 0)
      given = QueryParameters::parse(request.body).single("csrf").value_or("");
    const std::string expected = context.desk->csrf_token(request.token_id);
    if (given.size() != expected.size() ||
        sodium_memcmp(given.data(), expected.data(), expected.size()) != 0)
      throw ApiError(403, "csrf",
                     "this change did not come from the desk's own page (missing or wrong CSRF "
                     "token): reload the page and try again");
  }
  return *context.desk;
}

Response post_admin_item(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, true);
  DeskForm form = desk_form(request, "file");
  std::string url;
  if (auto found = form.fields.find("url"); found != form.fields.end()) {
    url = found->second;
    form.fields.erase(found);
  }
  form.fields.erase("csrf");
  try {
    return accepted(desk.add(form.fields, form.file, form.file_name, url, actor_of(request)));
  } catch (const DeskError& error) {
    throw bad_parameter(error.what());
  }
}

Response get_admin_item(const ApiRequest& request, ServerContext& context) {
  desk_for(request, context, false);
  return json_response(200, item_to_json(stored_item(request, context), JsonView::librarian));
}

Response patch_admin_item(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, true);
  const Item item = stored_item(request, context);
  nlohmann::json fields;
  try {
    fields = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::exception&) {
    throw bad_parameter("the body must be a JSON object of the fields to change");
  }
  std::string job;
  try {
    job = desk.edit(item, fields, actor_of(request));
  } catch (const DeskError& error) {
    throw bad_parameter(error.what());
  }
  const std::optional<JobRecord> ended = desk.jobs().wait(job, kEditWait);
  if (!ended || ended->state == JobState::queued || ended->state == JobState::running)
    return accepted(job);  // a long extraction: the job goes on
  if (ended->state == JobState::failed)
    throw ApiError(422, "job_failed", ended->error + " (job " + job + ")");
  // Read from the index as it is now, not from this thread's searcher, which the commit
  // watcher reopens only within its interval.
  Searcher fresh(std::vector<std::string>{desk.config().db}, desk.config().campaigns);
  const std::optional<Item> updated = fresh.item_by_id(item.id, Audience::everyone());
  if (!updated) throw not_found("item '" + item.id + "' is no longer there");
  Response response = json_response(200, item_to_json(*updated, JsonView::librarian));
  response.headers.emplace_back("X-Job", job);
  return response;
}

Response delete_admin_item(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, true);
  return accepted(desk.withdraw(stored_item(request, context), actor_of(request)));
}

Response post_admin_item_restore(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, true);
  const std::string& id = request.path_parameters.at("id");
  if (!is_valid_identifier(id)) throw not_found("no item with id '" + id.substr(0, 120) + "'");
  if (context.index.searcher().item_by_id(id, Audience::everyone()))
    throw ApiError(409, "not_withdrawn", "item '" + id + "' is not withdrawn");
  if (!context.index.searcher().is_gone(id, Audience::everyone()))
    throw not_found("no withdrawn item with id '" + id + "'");
  return accepted(desk.restore(id, actor_of(request)));
}

Response post_admin_item_replace(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, true);
  const Item item = stored_item(request, context);
  const DeskForm form = desk_form(request, "file");
  if (form.file.empty()) throw bad_parameter("send the new file as the multipart field 'file'");
  try {
    return accepted(desk.replace(item, form.file, form.file_name, actor_of(request)));
  } catch (const DeskError& error) {
    throw bad_parameter(error.what());
  }
}

Response post_admin_import(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, true);
  const DeskForm form = desk_form(request, "manifest");
  if (form.file.empty())
    throw bad_parameter("send the manifest (CSV or JSON Lines) as the multipart field 'manifest'");
  const auto dry_run = form.fields.find("dry_run");
  const std::string flag = dry_run == form.fields.end() ? "1" : dry_run->second;
  if (flag != "0" && flag != "1") throw bad_parameter("dry_run must be 1 (preview) or 0 (apply)");
  return accepted(desk.import(form.file, form.file_name, flag == "1", actor_of(request)));
}

Response get_admin_jobs(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, false);
  nlohmann::ordered_json jobs = nlohmann::ordered_json::array();
  for (const JobRecord& job : desk.jobs().recent(50)) {
    nlohmann::ordered_json entry = job_json(job);
    entry.erase("report");  // GET /api/admin/jobs/{id} has it
    jobs.push_back(std::move(entry));
  }
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  std::vector<indexer::RunSummary> history = indexer::list_runs(desk.config().db);
  for (auto it = history.rbegin(); it != history.rend() && runs.size() < 50; ++it)
    runs.push_back(indexer::run_summary_json(*it));
  return json_response(200, {{"jobs", std::move(jobs)}, {"runs", std::move(runs)}});
}

Response get_admin_job(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, false);
  const std::string& id = request.path_parameters.at("id");
  const std::optional<JobRecord> job = desk.jobs().get(id);
  if (!job) throw not_found("no job '" + id.substr(0, 40) + "'");
  return json_response(200, job_json(*job));
}

Response get_admin_audit(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, false);
  std::size_t limit = 100;
  if (auto given = request.query.single("limit")) {
    try {
      limit = std::stoul(*given);
    } catch (const std::exception&) {
      limit = 0;
    }
    if (limit < 1 || limit > 10000) throw bad_parameter("limit must be a number 1..10000");
  }
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (auto& entry : indexer::read_audit(desk.config().db, limit))
    entries.push_back(std::move(entry));
  return json_response(200, entries);
}

namespace {

nlohmann::ordered_json token_json(const AccessToken& token) {
  return {{"id", token.id},
          {"label", token.label},
          {"groups", token.groups},
          {"expires", token.expires.empty() ? nlohmann::ordered_json()
                                            : nlohmann::ordered_json(token.expires)},
          {"created", utc_timestamp(token.created)},
          {"last_used", token.last_used > 0 ? nlohmann::ordered_json(utc_timestamp(token.last_used))
                                            : nlohmann::ordered_json()},
          {"expired", token.expired(now_seconds())}};
}

void audit(const std::string& db, indexer::AuditEntry entry) {
  try {
    indexer::append_audit(db, entry);
  } catch (const std::exception& error) {
    spdlog::warn("{}", error.what());
  }
}

}  // namespace

NewToken create_reader_token(const ApiRequest& request, ServerContext& context,
                             const std::vector<std::string>& groups, const std::string& label,
                             const std::string& expires) {
  Desk& desk = desk_for(request, context, true);
  NewToken made;
  try {
    made = indexer::taking_turns(
        [&] { return create_token(desk.config().db, groups, label, expires, now_seconds()); }, {},
        std::chrono::seconds(30));
  } catch (const TokenError& error) {
    throw bad_parameter(error.what());
  } catch (const IndexLocked&) {
    throw ApiError(503, "index_busy", "another program is writing the index; try again later");
  }
  std::string joined;
  for (const std::string& group : made.record.groups) joined += (joined.empty() ? "" : ";") + group;
  audit(desk.config().db, {now_seconds(),
                           actor_of(request),
                           "token_create",
                           made.record.id,
                           {{"label", "", made.record.label},
                            {"role", "", std::string(to_string(made.record.role))},
                            {"groups", "", joined}}});
  context.authorizer.reload();
  return made;
}

void revoke_reader_token(const ApiRequest& request, ServerContext& context, const std::string& id) {
  Desk& desk = desk_for(request, context, true);
  const std::vector<AccessToken> tokens = list_tokens(desk.config().db);
  const auto found = std::find_if(tokens.begin(), tokens.end(), [&](const AccessToken& token) {
    return token.id == id && token.role == TokenRole::reader;
  });
  if (found == tokens.end())
    throw not_found("no reader's token with id '" + id.substr(0, 40) + "'");
  try {
    indexer::taking_turns([&] { return revoke_token(desk.config().db, id); }, {},
                          std::chrono::seconds(30));
  } catch (const IndexLocked&) {
    throw ApiError(503, "index_busy", "another program is writing the index; try again later");
  }
  context.authorizer.reload();
  audit(desk.config().db, {now_seconds(), actor_of(request), "token_revoke", id, {}});
}

Response get_admin_tokens(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, false);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const AccessToken& token : list_tokens(desk.config().db))
    if (token.role == TokenRole::reader) list.push_back(token_json(token));
  return json_response(200, list);
}

Response post_admin_token(const ApiRequest& request, ServerContext& context) {
  desk_for(request, context, true);
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::exception&) {
    throw bad_parameter(
        R"(the body must be JSON: {"label": "...", "groups": ["..."], "expires": "YYYY-MM-DD"})");
  }
  if (!body.is_object()) throw bad_parameter("the body must be a JSON object");
  std::vector<std::string> groups;
  try {
    groups = body.value("groups", std::vector<std::string>());
  } catch (const nlohmann::json::exception&) {
    throw bad_parameter("groups must be an array of group names");
  }
  std::string label, expires;
  try {
    label = body.value("label", std::string());
    expires = body.is_object() && body.contains("expires") && body["expires"].is_null()
                  ? std::string()
                  : body.value("expires", std::string());
  } catch (const nlohmann::json::exception&) {
    throw bad_parameter("label and expires must be text");
  }
  const NewToken made = create_reader_token(request, context, groups, label, expires);
  nlohmann::ordered_json answer = token_json(made.record);
  answer["token"] = made.token;  // shown this once
  return json_response(201, answer);
}

Response delete_admin_token(const ApiRequest& request, ServerContext& context) {
  desk_for(request, context, true);
  const std::string& id = request.path_parameters.at("id");
  revoke_reader_token(request, context, id);
  return json_response(200, {{"revoked", id}});
}

Response get_admin_synonyms(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, false);
  const std::string& path = desk.config().synonyms;
  if (path.empty())
    throw ApiError(404, "no_synonyms_file",
                   "no [search] synonyms file is configured; the shipped list alone is used");
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Response{200, "text/csv; charset=utf-8", text, {}};
}

Response put_admin_synonyms(const ApiRequest& request, ServerContext& context) {
  Desk& desk = desk_for(request, context, true);
  const std::string& path = desk.config().synonyms;
  if (path.empty())
    throw ApiError(409, "no_synonyms_file",
                   "no [search] synonyms file is configured: set [search] synonyms first");
  std::shared_ptr<const Synonyms> parsed;
  try {
    parsed = Synonyms::with_librarian(request.body, "the synonyms sent");
  } catch (const std::exception& error) {  // SynonymError names the line
    throw bad_parameter(error.what());
  }
  const fs::path part = path + ".part";
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out << request.body;
    if (!out) throw std::runtime_error("cannot write " + part.string());
  }
  fs::rename(part, path);
  audit(desk.config().db, {now_seconds(), actor_of(request), "synonyms", "", {}});
  // The commit watcher reads the file again within its interval.
  return json_response(200, {{"entries", parsed->entry_count()}});
}

}  // namespace mediateka::server
