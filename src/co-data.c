/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-data"

#include "config.h"

#include "co-data.h"

char *
co_data_find_file (const char *name)
{
  const char *env_dir;
  g_autofree char *user = NULL;
  g_autofree char *dev = NULL;
  g_autofree char *installed = NULL;

  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  user = g_build_filename (g_get_user_config_dir (), PACKAGE_NAME, name, NULL);
  if (g_file_test (user, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&user);

  env_dir = g_getenv ("CARD_OFFICE_DATADIR");
  if (env_dir != NULL && *env_dir != '\0')
    {
      dev = g_build_filename (env_dir, name, NULL);
      if (g_file_test (dev, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&dev);
    }

  installed = g_build_filename (PKGDATADIR, name, NULL);
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);

  return NULL;
}
