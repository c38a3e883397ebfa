/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The fuzz targets without libFuzzer: feeds every file named on the
 * command line (or found in a folder named there) to
 * LLVMFuzzerTestOneInput(), once each, as a TAP test. The normal build
 * links each target with this, so every commit replays the seed corpus
 * (and the regression inputs) under CI's sanitizers.
 */
#define G_LOG_DOMAIN "fuzz-replay"

#include "config.h"

#include <gio/gio.h>

#include "fuzz-common.h"

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  g_assert (dir != NULL);
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    if (name[0] != '.' && g_strcmp0 (name, "README") != 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      collect (child, files);
    }
}

static void
test_one (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) contents, length), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  g_assert_cmpuint (files->len, >, 0);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *parent = g_path_get_dirname (path);
      g_autofree char *dir = g_path_get_basename (parent);
      g_autofree char *test_path = g_strdup_printf ("/fuzz-replay/%s/%s", dir, base);

      g_test_add_data_func (test_path, path, test_one);
    }

  return g_test_run ();
}
