#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "bootmedia/error.hpp"
#include "bootmedia/module_graph.hpp"

using namespace castline::bootmedia;

namespace {

// A small modules.dep in depmod's form: each line lists the whole closure, load-last first.
constexpr const char* modules_dep =
    "kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko "
    "kernel/net/core/failover.ko kernel/drivers/virtio/virtio_ring.ko "
    "kernel/drivers/virtio/virtio.ko\n"
    "kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko\n"
    "kernel/net/core/failover.ko:\n"
    "kernel/drivers/virtio/virtio_ring.ko: kernel/drivers/virtio/virtio.ko\n"
    "kernel/drivers/virtio/virtio.ko:\n"
    "kernel/drivers/scsi/sd_mod.ko: kernel/drivers/scsi/scsi_mod.ko kernel/block/t10-pi.ko\n"
    "kernel/drivers/scsi/scsi_mod.ko:\n"
    "kernel/block/t10-pi.ko:\n"
    "kernel/drivers/net/ethernet/intel/e1000/e1000.ko:\n";

std::vector<std::string> names(const std::vector<const KernelModule*>& modules) {
    std::vector<std::string> out;
    for (const auto* m : modules) out.push_back(m->name);
    return out;
}

std::size_t position(const std::vector<std::string>& list, const std::string& name) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i] == name) return i;
    FAIL("missing " << name);
    return 0;
}

}  // namespace

TEST_CASE("names: '-' and '_' are the same, paths give names") {
    CHECK(normalize_module_name("t10-pi") == "t10_pi");
    CHECK(module_name_from_path("kernel/block/t10-pi.ko") == "t10_pi");
    CHECK(module_name_from_path("kernel/fs/x/ntfs3.ko.xz") == "ntfs3");
    CHECK(module_name_from_path("e1000.ko") == "e1000");
}

TEST_CASE("parsing modules.dep") {
    const ModuleGraph graph = parse_modules_dep(modules_dep);
    CHECK(graph.size() == 9);
    const KernelModule* sd = graph.find("sd-mod");
    REQUIRE(sd != nullptr);
    CHECK(sd->path == "kernel/drivers/scsi/sd_mod.ko");
    CHECK(sd->depends == std::vector<std::string>{"scsi_mod", "t10_pi"});
    CHECK(graph.find("nvme") == nullptr);
}

TEST_CASE("the load order is the closure with every dependency before its user") {
    const ModuleGraph graph = parse_modules_dep(modules_dep);
    const std::vector<std::string> requested = {"e1000", "virtio_net", "sd_mod", "virtio"};
    const auto order = names(graph.load_order(requested));
    CHECK(order.size() == 9);
    CHECK(position(order, "failover") < position(order, "net_failover"));
    CHECK(position(order, "net_failover") < position(order, "virtio_net"));
    CHECK(position(order, "virtio") < position(order, "virtio_ring"));
    CHECK(position(order, "virtio_ring") < position(order, "virtio_net"));
    CHECK(position(order, "t10_pi") < position(order, "sd_mod"));
    CHECK(position(order, "scsi_mod") < position(order, "sd_mod"));
    // Requested modules keep their order: e1000 asked first, loaded first.
    CHECK(order.front() == "e1000");
    CHECK(position(order, "virtio_net") < position(order, "sd_mod"));
}

TEST_CASE("direct dependencies (as .modinfo gives them) close transitively") {
    ModuleGraph graph;
    graph.add({"a", "kernel/a.ko", {"b"}});
    graph.add({"b", "kernel/b.ko", {"c"}});
    graph.add({"c", "kernel/c.ko", {}});
    graph.add({"unused", "kernel/unused.ko", {}});
    CHECK(names(graph.load_order(std::vector<std::string>{"a"})) ==
          std::vector<std::string>{"c", "b", "a"});
}

TEST_CASE("a missing module, requested or needed, is named in the error") {
    ModuleGraph graph;
    graph.add({"a", "kernel/a.ko", {"gone"}});
    CHECK_THROWS_WITH_AS(graph.load_order(std::vector<std::string>{"a", "nosuch"}),
                         "kernel modules not found in this kernel: gone (needed by a) nosuch",
                         BootmediaError);
}

TEST_CASE("a cycle in a broken modules.dep ends instead of recursing forever") {
    ModuleGraph graph;
    graph.add({"a", "kernel/a.ko", {"b"}});
    graph.add({"b", "kernel/b.ko", {"a"}});
    CHECK(graph.load_order(std::vector<std::string>{"a"}).size() == 2);
}

TEST_CASE("malformed lines and duplicate names are errors") {
    CHECK_THROWS_WITH_AS(parse_modules_dep("kernel/a.ko:\nnot a module line\n"),
                         "modules.dep:2: expected 'MODULE.ko: DEPENDENCIES'", BootmediaError);
    CHECK_THROWS_AS(parse_modules_dep("kernel/x/a.ko:\nkernel/y/a.ko:\n"), BootmediaError);
    CHECK(parse_modules_dep("\n# comment\n").size() == 0);
}

TEST_CASE("modules.dep for the initramfs lists each closure load-last first, like depmod") {
    const ModuleGraph graph = parse_modules_dep(modules_dep);
    const auto order = graph.load_order(std::vector<std::string>{"virtio_net", "e1000"});
    const std::string text = format_modules_dep(order);
    // Written back and read again, it gives the same graph for these modules.
    const ModuleGraph again = parse_modules_dep(text);
    CHECK(again.size() == order.size());
    CHECK(text.find("kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko\n") !=
          std::string::npos);
    CHECK(text.find("kernel/drivers/net/ethernet/intel/e1000/e1000.ko:\n") != std::string::npos);
    // modprobe loads from the end of each list: virtio before virtio_ring, failover before
    // net_failover, all of them before virtio_net.
    CHECK(text.find("kernel/drivers/net/virtio_net.ko: kernel/drivers/virtio/virtio_ring.ko "
                    "kernel/drivers/virtio/virtio.ko kernel/drivers/net/net_failover.ko "
                    "kernel/net/core/failover.ko\n") != std::string::npos);
}

TEST_CASE("soft pre-dependencies load first when the kernel has them, and are skipped if not") {
    ModuleGraph graph;
    graph.add({"r8169", "kernel/r8169.ko", {"mdio"}, {"realtek"}});
    graph.add({"realtek", "kernel/realtek.ko", {"libphy"}});
    graph.add({"libphy", "kernel/libphy.ko", {}});
    graph.add({"mdio", "kernel/mdio.ko", {}});
    graph.add({"crc_t10dif", "kernel/crc-t10dif.ko", {}, {"crct10dif"}});  // an alias, no module
    CHECK(names(graph.load_order(std::vector<std::string>{"r8169", "crc-t10dif"})) ==
          std::vector<std::string>{"libphy", "realtek", "mdio", "r8169", "crc_t10dif"});
}
