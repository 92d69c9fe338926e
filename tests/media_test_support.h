// Helpers for the media tests, whose fixtures are made at test time by outside tools (ffmpeg,
// espeak-ng, python3-reportlab) in a temporary folder (test_files.h).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "extraction.h"
#include "test_files.h"

namespace mediateka::test {

// Runs a shell command with its output thrown away; true when it exits with 0.
inline bool run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

// Whether the shell finds `tool` on the PATH.
inline bool tool_available(const std::string& tool) { return run("command -v " + tool); }

// `path` in single quotes, for a shell command (the fixtures' paths hold no quote).
inline std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// A python3 that has reportlab (a pyenv shim may shadow the system one); empty if none.
inline const std::string& python_with_reportlab() {
  static const std::string python = [] {
    for (const char* candidate : {"python3", "/usr/bin/python3"}) {
      if (run(std::string(candidate) + " -c 'import reportlab'")) return std::string(candidate);
    }
    return std::string();
  }();
  return python;
}

// Writes `script` to `folder`/make.py and runs it with python_with_reportlab(); true when it
// succeeds.
inline bool run_python(const std::filesystem::path& folder, const std::string& script) {
  write_file(folder / "make.py", script);
  return run(python_with_reportlab() + " " + quoted(folder / "make.py"));
}

// The message extract_file() gives up on `file` with, or "no error".
inline std::string error_of(const std::filesystem::path& file) {
  try {
    media::extract_file(file);
  } catch (const media::ExtractionError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace mediateka::test
