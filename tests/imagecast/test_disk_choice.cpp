// The target disk: read from a sysfs tree (made here as plain files), chosen by the job's rule.
#include <doctest/doctest.h>

#include <fstream>
#include <random>

#include "imagecast/disk_choice.hpp"
#include "imager/errors.hpp"

using namespace castline::imagecast;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t GiB = std::uint64_t{1} << 30;

class FakeSysfs {
  public:
    FakeSysfs() {
        root_ = fs::temp_directory_path() /
                ("castline-sysfs-" + std::to_string(std::random_device{}()));
        fs::create_directories(root_ / "block");
    }
    ~FakeSysfs() { fs::remove_all(root_); }
    void disk(const std::string& name, std::uint64_t bytes, const std::string& model,
              const std::string& serial_file, const std::string& serial, bool removable = false) {
        const auto dir = root_ / "block" / name;
        fs::create_directories(dir / "device");
        write(dir / "size", std::to_string(bytes / 512) + "\n");
        write(dir / "removable", removable ? "1\n" : "0\n");
        write(dir / "ro", "0\n");
        write(dir / "device" / "model", model + "  \n");
        if (!serial_file.empty()) write(dir / serial_file, serial);
    }
    void mounts(const std::string& text) { write(root_ / "mounts", text); }
    std::vector<Disk> list() const { return list_disks(root_ / "block", false, root_ / "mounts"); }

  private:
    static void write(const fs::path& file, const std::string& text) {
        std::ofstream(file, std::ios::binary) << text;
    }
    fs::path root_;
};

std::string refusal(const std::vector<Disk>& disks, const DiskRule& rule) {
    try {
        choose_disk(disks, rule);
    } catch (const castline::imager::ImagerError& e) {
        CHECK(e.code == castline::imager::ExitCode::no_target_disk);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE(
    "disks are read from sysfs with model and serial, RAM disks and optical drives left out") {
    FakeSysfs sys;
    sys.disk("vda", 8 * GiB, "", "serial", "VIRTIO-1\n");
    sys.disk("nvme0n1", 512 * GiB, "Samsung SSD 980", "device/serial", "S64DNX0R123  \n");
    // SCSI VPD page 0x80: 4 header bytes, then the serial.
    sys.disk("sda", 1000 * GiB, "WDC WD10EZEX", "device/vpd_pg80",
             std::string("\x00\x80\x00\x08", 4) + "WD-12345");
    sys.disk("ram0", GiB, "", "", "");
    sys.disk("sr0", GiB, "QEMU DVD-ROM", "", "", true);
    sys.disk("loop0", GiB, "", "", "");
    sys.mounts("/dev/sda1 /boot ext4 rw 0 0\n");
    const auto disks = sys.list();
    REQUIRE(disks.size() == 3);
    CHECK(disks[0].name == "nvme0n1");
    CHECK(disks[0].model == "Samsung SSD 980");
    CHECK(disks[0].serial == "S64DNX0R123");
    CHECK(disks[1].name == "sda");
    CHECK(disks[1].serial == "WD-12345");
    CHECK(disks[1].mounted);
    CHECK(disks[2].device == "/dev/vda");
    CHECK(disks[2].serial == "VIRTIO-1");
    CHECK(disks[2].size == 8 * GiB);
}

TEST_CASE("only-fixed: the one non-removable, unmounted disk, or an error listing every disk") {
    const Disk boot{.name = "sda", .device = "/dev/sda", .size = 16 * GiB, .mounted = true};
    const Disk usb{.name = "sdb", .device = "/dev/sdb", .size = 32 * GiB, .removable = true};
    const Disk ssd{.name = "nvme0n1", .device = "/dev/nvme0n1", .size = 256 * GiB};
    const Disk hdd{.name = "sdc", .device = "/dev/sdc", .size = 1000 * GiB};
    CHECK(choose_disk({boot, usb, ssd}, {}).device == "/dev/nvme0n1");
    const auto two = refusal({boot, usb, ssd, hdd}, {});
    CHECK(two.find("more than one disk fits the rule 'only-fixed'") != std::string::npos);
    CHECK(two.find("/dev/sda (16384 MiB): left out, mounted") != std::string::npos);
    CHECK(two.find("/dev/sdb (32768 MiB): left out, removable") != std::string::npos);
    CHECK(two.find("/dev/sdc (1024000 MiB): candidate") != std::string::npos);
    CHECK(refusal({}, {}).find("no disk fits") != std::string::npos);
    // A disk smaller than the image needs is never a candidate, so the larger one is chosen.
    CHECK(choose_disk({ssd, hdd}, {.needed_bytes = 300 * GiB}).device == "/dev/sdc");
    CHECK(refusal({ssd}, {.needed_bytes = 300 * GiB}).find("smaller than the image needs") !=
          std::string::npos);
}

TEST_CASE("rules by path, model and serial pattern, and size range") {
    const Disk a{.name = "sda",
                 .device = "/dev/sda",
                 .size = 240 * GiB,
                 .model = "INTEL SSDSC2",
                 .serial = "BTWL1"};
    const Disk b{.name = "sdb",
                 .device = "/dev/sdb",
                 .size = 2000 * GiB,
                 .model = "ST2000DM",
                 .serial = "Z4Z1"};
    const Disk usb{.name = "sdc",
                   .device = "/dev/sdc",
                   .size = 64 * GiB,
                   .removable = true,
                   .model = "Ultra USB 3.0"};
    const std::vector<Disk> disks{a, b, usb};
    CHECK(choose_disk(disks, {.path = "/dev/sdb"}).name == "sdb");
    CHECK(choose_disk(disks, {.model = "INTEL*"}).name == "sda");
    CHECK(choose_disk(disks, {.serial = "Z4*"}).name == "sdb");
    CHECK(choose_disk(disks, {.min_size = 1000 * GiB}).name == "sdb");
    CHECK(choose_disk(disks, {.min_size = 100 * GiB, .max_size = 500 * GiB}).name == "sda");
    // Named explicitly, a removable disk may be the target.
    CHECK(choose_disk(disks, {.model = "Ultra*"}).name == "sdc");
    const auto none = refusal(disks, {.model = "Samsung*"});
    CHECK(none.find("no disk fits the rule {model 'Samsung*'}") != std::string::npos);
    CHECK(none.find("/dev/sda (245760 MiB, INTEL SSDSC2, serial BTWL1): left out, model does not "
                    "match 'Samsung*'") != std::string::npos);
    CHECK(refusal(disks, {.max_size = 300 * GiB}).find("more than one disk") != std::string::npos);
    // Every criterion must hold.
    CHECK(refusal(disks, {.path = "/dev/sda", .serial = "Z4*"}).find("serial does not match") !=
          std::string::npos);
    // The path names a disk that is too small for the image.
    CHECK(refusal(disks, {.path = "/dev/sdc", .needed_bytes = 100 * GiB})
              .find("smaller than the image needs (100.0 GiB (107374182400 bytes))") !=
          std::string::npos);
}
