/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Students: find a student and see the card's status.
 */
#define G_LOG_DOMAIN "co-roster-page"

#include "config.h"

#include "co-roster-page.h"

struct _CoRosterPage
{
  GtkWidget      parent_instance;

  /* Template widgets */
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (CoRosterPage, co_roster_page, GTK_TYPE_WIDGET)

static void
co_roster_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_ROSTER_PAGE);

  G_OBJECT_CLASS (co_roster_page_parent_class)->dispose (object);
}

static void
co_roster_page_class_init (CoRosterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_roster_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-roster-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, status_page);
}

static void
co_roster_page_init (CoRosterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
