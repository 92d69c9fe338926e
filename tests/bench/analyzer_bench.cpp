// Throughput of text analysis (word breaking, folding, lemmas) on one core.
// Usage: mediateka-bench-analyzer [FILE ...]   (UTF-8 text; default: a built-in Polish sample)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "archive/text/analyzer.h"

namespace {

const char* kSample =
    "Ośrodki pomocy społecznej na Mazowszu wspierają rodziny w trudnej sytuacji życiowej. "
    "Wolontariusze pomagają osobom niepełnosprawnym i seniorom, a spółdzielnie socjalne "
    "tworzą miejsca pracy dla osób zagrożonych wykluczeniem społecznym. Projekt Razem dla "
    "Mazowsza finansowany jest ze źródeł europejskich w ramach programu Kapitał Ludzki. ";

}  // namespace

int main(int argc, char** argv) {
  std::string text;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 2;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    text += buffer.str() + "\n";
  }
  if (text.empty()) {
    for (int i = 0; i < 4000; ++i) text += kSample;
  }
  const mediateka::Analyzer& analyzer = mediateka::default_analyzer();
  auto run = [&] {
    size_t tokens = 0, keys = 0;
    analyzer.tokenize(text, [&](const mediateka::Token& token) {
      ++tokens;
      std::string folded = mediateka::fold(token.text);
      keys += analyzer.lemmas(token.text).size() + (folded.empty() ? 0 : 1);
    });
    return std::make_pair(tokens, keys);
  };
  auto cold_start = std::chrono::steady_clock::now();
  auto [tokens, keys] = run();
  double cold =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - cold_start).count();
  auto warm_start = std::chrono::steady_clock::now();
  run();
  double warm =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - warm_start).count();
  std::printf("tokens %zu, lemma keys %zu\n", tokens, keys);
  std::printf("cold cache: %.3f s, %.0f tokens/s\n", cold, tokens / cold);
  std::printf("warm cache: %.3f s, %.0f tokens/s\n", warm, tokens / warm);
  return 0;
}
