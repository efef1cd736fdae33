#include "common/descriptor_budget.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>

namespace castline {

struct DescriptorBudget::Count {
    explicit Count(std::size_t l) : limit(l) {}
    const std::size_t limit;
    std::atomic<std::size_t> used{0};
};

DescriptorBudget::Lease::Lease(std::shared_ptr<Count> count, std::size_t taken)
    : count_(std::move(count)), taken_(taken) {}

DescriptorBudget::Lease::Lease(Lease&& other) noexcept
    : count_(std::move(other.count_)), taken_(other.taken_) {
    other.taken_ = 0;
}

DescriptorBudget::Lease& DescriptorBudget::Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        if (count_) count_->used -= taken_;
        count_ = std::move(other.count_);
        taken_ = other.taken_;
        other.taken_ = 0;
    }
    return *this;
}

DescriptorBudget::Lease::~Lease() {
    if (count_) count_->used -= taken_;
}

DescriptorBudget::DescriptorBudget(std::size_t limit) : count_(std::make_shared<Count>(limit)) {}

std::optional<DescriptorBudget::Lease> DescriptorBudget::take(std::size_t descriptors) {
    auto used = count_->used.load();
    do {
        if (used + descriptors > count_->limit) return std::nullopt;
    } while (!count_->used.compare_exchange_weak(used, used + descriptors));
    return Lease(count_, descriptors);
}

std::size_t DescriptorBudget::limit() const {
    return count_->limit;
}

std::size_t DescriptorBudget::in_use() const {
    return count_->used.load();
}

std::size_t raise_descriptor_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    if (limit.rlim_cur == RLIM_INFINITY) return 1 << 20;
    return static_cast<std::size_t>(limit.rlim_cur);
}

std::size_t peer_descriptor_budget(std::size_t descriptor_limit) {
    const auto reserve = std::max<std::size_t>(64, descriptor_limit / 4);
    return descriptor_limit > reserve ? descriptor_limit - reserve : 0;
}

}  // namespace castline
