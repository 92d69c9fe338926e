// Fields of the JSON the programs hand each other (stored items, extraction results), read
// without undefined behaviour: a number beyond the type it is read into is no number.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace mediateka {

// The string at `key`; "" when it is absent or null. Another type throws nlohmann's type_error.
inline std::string string_field(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return {};
  return found->get<std::string>();
}

// The number at `key`; 0 when it is absent or null. Another type throws nlohmann's type_error.
inline double number_field(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return 0;
  return found->get<double>();
}

// A whole number as an Int, or nullopt when it is no number or beyond an Int (casting it would
// be undefined); a fraction loses its part after the point.
template <typename Int>
std::optional<Int> whole_number(const nlohmann::json& value) {
  using Limits = std::numeric_limits<Int>;
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(Limits::max())) return std::nullopt;
  } else if (value.is_number_integer()) {
    if constexpr (sizeof(Int) < sizeof(std::int64_t)) {
      const auto number = value.get<std::int64_t>();
      if (number < Limits::min() || number > Limits::max()) return std::nullopt;
    }
  } else if (value.is_number_float()) {
    const double number = value.get<double>();
    const double limit = -static_cast<double>(Limits::min());  // exact: a power of two
    if (!(number >= -limit && number < limit)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return value.get<Int>();
}

}  // namespace mediateka
