// extract_file(): chooses the extractor from the file's content and reads sidecar transcripts.
#include <cctype>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "av_extractor.h"
#include "extraction.h"
#include "pdf_extractor.h"
#include "scan_extractor.h"
#include "subtitles.h"

namespace mediateka::media {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxSidecarBytes = 32 * 1024 * 1024;

std::string read_head(const fs::path& file, std::size_t bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ExtractionError("cannot open file");
  std::string head(bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(bytes));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

std::string lower_extension(const fs::path& file) {
  std::string extension = file.extension().string();
  for (auto& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

// NAME.srt (preferred) or NAME.vtt beside NAME.ext, in either letter case.
std::vector<fs::path> sidecar_candidates(const fs::path& file) {
  std::vector<fs::path> found;
  for (const char* extension : {".srt", ".SRT", ".Srt", ".vtt", ".VTT", ".Vtt"}) {
    fs::path candidate = file;
    candidate.replace_extension(extension);
    std::error_code error;
    if (candidate != file && fs::is_regular_file(candidate, error)) found.push_back(candidate);
  }
  return found;
}

// A sidecar is the librarians' own transcript, so it replaces embedded subtitles rather than
// merging with them (merging would index the same lines twice, with slightly different
// times); the replacement is noted in the warnings.
void attach_sidecar(const fs::path& file, Extraction& extraction) {
  const std::vector<fs::path> sidecars = sidecar_candidates(file);
  if (sidecars.empty()) return;
  const fs::path& sidecar = sidecars.front();
  const std::string name = sidecar.filename().string();
  for (std::size_t i = 1; i < sidecars.size(); ++i)
    extraction.warnings.push_back("transcript " + sidecars[i].filename().string() +
                                  " ignored: " + name + " used");

  std::error_code error;
  const std::uintmax_t size = fs::file_size(sidecar, error);
  if (error || size > kMaxSidecarBytes) {
    extraction.warnings.push_back(name + ": unreadable or too large, not used");
    return;
  }
  std::ifstream in(sidecar, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    extraction.warnings.push_back(name + ": cannot be read");
    return;
  }
  std::vector<Segment> cues = parse_subtitles(text, name, extraction.warnings);
  if (cues.empty()) {
    extraction.warnings.push_back(name + ": no cues found, not used");
    return;
  }
  if (!extraction.segments.empty())
    extraction.warnings.push_back("embedded subtitles ignored: transcript " + name + " used");
  extraction.segments = std::move(cues);
}

}  // namespace

Extraction extract_file(const fs::path& file, const ExtractOptions& options) {
  std::error_code error;
  const fs::file_status status = fs::status(file, error);
  if (error || !fs::exists(status)) throw ExtractionError("file not found");
  if (!fs::is_regular_file(status)) throw ExtractionError("not a regular file");
  if (fs::file_size(file, error) == 0 && !error) throw ExtractionError("empty file");

  // The PDF header may follow a little junk; poppler looks within the first 1 KiB as well.
  const std::string head = read_head(file, 1024);
  if (head.empty()) throw ExtractionError("empty file");
  if (head.find("%PDF-") != std::string::npos) return extract_pdf(file, options);
  if (is_scan_picture(head)) return extract_scan(file, head, options);

  Extraction extraction;
  try {
    extraction = extract_av(file);
  } catch (const ExtractionError&) {
    if (lower_extension(file) == ".pdf")
      throw ExtractionError("not a PDF (no %PDF- header): damaged or misnamed");
    throw;
  }
  attach_sidecar(file, extraction);
  return extraction;
}

}  // namespace mediateka::media
