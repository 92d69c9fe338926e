// Names of an enum's values: one table per enum, defined beside the enum, which both its to-name
// and its from-name function read, so that a name is written once. The names are those of the
// contract (docs/api.md) or of stored files; Polish labels for visitors are tables of their own.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mediateka {

// {value, name} for every value of Enum. The names are string literals, so that a name can be
// handed on as a C string.
template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, const char*>, N>;

// The name of `value`; a value that is not in the table (none of the enum's) is named as
// `fallback` is.
template <typename Enum, std::size_t N>
constexpr const char* name_of(const NameTable<Enum, N>& table, Enum value, Enum fallback) {
  for (const auto& [entry, name] : table)
    if (entry == value) return name;
  for (const auto& [entry, name] : table)
    if (entry == fallback) return name;
  return "";
}

// The value `name` names; nullopt for a name that is not in the table.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const NameTable<Enum, N>& table, std::string_view name) {
  for (const auto& [value, value_name] : table)
    if (name == value_name) return value;
  return std::nullopt;
}

// "publication, bulletin, film, radio, tv": the names in the table's order, for messages.
template <typename Enum, std::size_t N>
std::string names_listed(const NameTable<Enum, N>& table) {
  std::string text;
  for (const auto& [value, name] : table) text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

}  // namespace mediateka
