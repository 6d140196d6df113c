#!/usr/bin/env bash
# Sao lưu máy chủ tỉnh: cơ sở dữ liệu PostgreSQL (pg_dump) và thư mục tệp đính kèm.
# Backs up the provincial server: the PostgreSQL database (pg_dump) and the blob directory.
#
#   backup.sh            (đọc /etc/province-server/province-server.env nếu có)
#
# Biến môi trường / environment:
#   PROVINCE_DATABASE_URL  postgresql://user@host:port/db (mật khẩu trong ~/.pgpass)
#   PROVINCE_BLOB_DIR      thư mục tệp đính kèm của máy chủ
#   PROVINCE_BACKUP_DIR    nơi ghi bản sao lưu (mặc định /var/backups/province-server)
#   PROVINCE_BACKUP_KEEP   giữ bao nhiêu bản mới nhất (mặc định 14)
#
# Mỗi bản là một thư mục province-backup-YYYYmmdd-HHMMSS.mmm/ gồm database.dump
# (định dạng custom của pg_dump), blobs.tar và SHA256SUMS. Cơ sở dữ liệu được chép
# trước, tệp đính kèm sau: một tệp đính kèm được ghi bền vững trước khi có hồ sơ nào
# nhắc tới nó, và không bao giờ bị ghi đè (đặt tên theo SHA-256), nên bản sao thư mục
# chép sau luôn có đủ mọi tệp mà bản sao cơ sở dữ liệu nhắc tới. Máy chủ không phải
# dừng. Các lượt tải lên dở dang (.uploads) không được chép: máy quầy gửi lại.
set -euo pipefail

ENV_FILE=${PROVINCE_ENV_FILE:-/etc/province-server/province-server.env}
if [ -z "${PROVINCE_DATABASE_URL:-}" ] && [ -r "$ENV_FILE" ]; then
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
fi

url=${PROVINCE_DATABASE_URL:?"Thiếu PROVINCE_DATABASE_URL (địa chỉ cơ sở dữ liệu)"}
blob_dir=${PROVINCE_BLOB_DIR:?"Thiếu PROVINCE_BLOB_DIR (thư mục tệp đính kèm)"}
dest=${PROVINCE_BACKUP_DIR:-/var/backups/province-server}
keep=${PROVINCE_BACKUP_KEEP:-14}
url=${url/postgresql+psycopg:/postgresql:}

if [ ! -d "$blob_dir" ]; then
    echo "Lỗi: không thấy thư mục tệp đính kèm $blob_dir" >&2
    exit 2
fi
case "$keep" in '' | *[!0-9]* | 0)
    echo "Lỗi: PROVINCE_BACKUP_KEEP phải là số nguyên dương (đang là '$keep')" >&2
    exit 2
    ;;
esac

mkdir -p "$dest"
name="province-backup-$(date -u +%Y%m%d-%H%M%S.%3N)"
work="$dest/.$name.partial"
trap 'rm -rf "$work"' EXIT
mkdir -m 0700 "$work"

pg_dump --format=custom --no-owner --no-privileges --file "$work/database.dump" "$url"
# Chỉ chép các bản quét, không chép tệp đang nhận: tệp có bit sticky là bản tải lên
# đang được ghi vào chỗ của bản quét, chưa kiểm tra xong (sync/server/blob_files.py).
(cd "$blob_dir" && find . \( -path ./.uploads -o -name '.readyz-*' \) -prune -o \
    \( -type d -o ! -perm -1000 \) -print0) |
    tar -C "$blob_dir" --null --no-recursion -T - -cf "$work/blobs.tar"
(cd "$work" && sha256sum database.dump blobs.tar > SHA256SUMS)
# Kiểm tra ngay: bản sao đọc được và khớp tổng kiểm.
(cd "$work" && sha256sum --quiet -c SHA256SUMS)
pg_restore --list "$work/database.dump" > /dev/null
tar -tf "$work/blobs.tar" > /dev/null

mv "$work" "$dest/$name"
trap - EXIT
echo "Đã sao lưu: $dest/$name"

# Giữ $keep bản mới nhất.
mapfile -t old < <(find "$dest" -mindepth 1 -maxdepth 1 -type d -name 'province-backup-*' | sort -r | tail -n +"$((keep + 1))")
for backup in "${old[@]}"; do
    rm -rf -- "$backup"
    echo "Đã xóa bản cũ: $backup"
done
