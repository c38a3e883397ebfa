/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "card-office"

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "co-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CoApplication) app = NULL;
  const char *localedir;

  setlocale (LC_ALL, "");

  /* An uninstalled build (tests, the demo) points at its own catalogs. */
  localedir = g_getenv ("CARD_OFFICE_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = co_application_new (G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
