#pragma once
// "1 client", "2 clients": counts in messages an operator reads.
#include <string>
#include <string_view>

namespace castline {

inline std::string count_of(long long n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace castline
