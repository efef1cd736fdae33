#include "config/did_you_mean.hpp"

#include <algorithm>
#include <vector>

namespace castline::config {
namespace {
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::size_t allowed_distance(std::string_view word) {
    if (word.size() <= 4) return 1;
    if (word.size() <= 8) return 2;
    return 3;
}

template <typename Candidates>
std::optional<std::string> closest(std::string_view word, const Candidates& candidates) {
    const std::size_t limit = allowed_distance(word);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const auto& candidate : candidates) {
        const std::string_view c = candidate;
        // Lengths too far apart cannot be within the limit; skip the quadratic work.
        const std::size_t gap =
            c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
        if (gap > limit) continue;
        const std::size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = std::string(c);
        }
    }
    return best;
}
}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    // Three rows: the one before the previous is needed for adjacent transpositions.
    std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
    for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const bool same = lower(a[i - 1]) == lower(b[j - 1]);
            current[j] =
                std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string_view> candidates) {
    return closest(word, candidates);
}

std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string> candidates) {
    return closest(word, candidates);
}

std::string suggestion_suffix(const std::optional<std::string>& suggestion) {
    if (!suggestion) return "";
    return " (did you mean \"" + *suggestion + "\"?)";
}

}  // namespace castline::config
