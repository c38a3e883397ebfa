/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co-csv-writer: the file Excel opens (BOM, CRLF, RFC 4180 quoting), read
 * back byte for byte and through our own CSV reader; mode 0600.
 */
#define G_LOG_DOMAIN "test-csv-writer"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "co-csv.h"
#include "co-csv-writer.h"

static const char * const header[] = { "姓名", "教育ID", "班级", NULL };

static GPtrArray *
make_rows (void)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char * const plain[] = { "张三", "11010001", "初一(3)班", NULL };
  const char * const tricky[] = { "O\"Neil, Jr.", "11010002", "line one\nline two", NULL };
  const char * const empty[] = { "", "11010003", "a\rb", NULL };

  g_ptr_array_add (rows, g_strdupv ((char **) plain));
  g_ptr_array_add (rows, g_strdupv ((char **) tricky));
  g_ptr_array_add (rows, g_strdupv ((char **) empty));
  return rows;
}

static const char expected[] =
  "\xEF\xBB\xBF" "姓名,教育ID,班级\r\n"
  "张三,11010001,初一(3)班\r\n"
  "\"O\"\"Neil, Jr.\",11010002,\"line one\nline two\"\r\n"
  ",11010003,\"a\rb\"\r\n";

static void
test_format_bytes (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(GBytes) bytes = co_csv_format (header, rows);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpmem (data, size, expected, strlen (expected));
}

static void
test_header_only (void)
{
  g_autoptr(GBytes) bytes = co_csv_format (header, NULL);
  const char want[] = "\xEF\xBB\xBF" "姓名,教育ID,班级\r\n";
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpmem (data, size, want, strlen (want));
}

static void
test_write_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autofree char *dir = g_dir_make_tmp ("co-csv-writer-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(CoCsv) csv = NULL;
  struct stat st;
  gsize size;

  g_assert_no_error (error);
  path = g_build_filename (dir, "待领取.csv", NULL);

  /* An existing file is replaced, and ends up private whatever it was. */
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_chmod (path, 0644);

  g_assert_true (co_csv_write_file (path, header, rows, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &data, &size, &error));
  g_assert_cmpmem (data, size, expected, strlen (expected));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Our reader (the one the print page and the importer use) agrees. */
  csv = co_csv_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_csv_get_encoding (csv), ==, CO_CSV_ENCODING_UTF8_BOM);
  g_assert_cmpuint (co_csv_get_n_columns (csv), ==, 3);
  g_assert_cmpstr (co_csv_get_header (csv, 1), ==, "教育ID");
  g_assert_cmpuint (co_csv_get_n_rows (csv), ==, 3);
  g_assert_cmpstr (co_csv_get_field (csv, 1, 0), ==, "O\"Neil, Jr.");
  g_assert_cmpstr (co_csv_get_field (csv, 1, 2), ==, "line one\nline two");
  g_assert_cmpstr (co_csv_get_field (csv, 2, 0), ==, "");
  g_assert_cmpstr (co_csv_get_field (csv, 2, 1), ==, "11010003");

  g_remove (path);
  g_rmdir (dir);
}

static void
test_write_file_fails (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (co_csv_write_file ("/nonexistent-dir/x.csv", header, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_FILE_ERROR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/csv-writer/format", test_format_bytes);
  g_test_add_func ("/core/csv-writer/header-only", test_header_only);
  g_test_add_func ("/core/csv-writer/write-file", test_write_file);
  g_test_add_func ("/core/csv-writer/write-file-fails", test_write_file_fails);

  return g_test_run ();
}
