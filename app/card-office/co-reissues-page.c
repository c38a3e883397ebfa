/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Reissues: follow each reissue from loss report to collection.
 */
#define G_LOG_DOMAIN "co-reissues-page"

#include "config.h"

#include "co-reissues-page.h"

struct _CoReissuesPage
{
  GtkWidget      parent_instance;

  /* Template widgets */
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (CoReissuesPage, co_reissues_page, GTK_TYPE_WIDGET)

static void
co_reissues_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_REISSUES_PAGE);

  G_OBJECT_CLASS (co_reissues_page_parent_class)->dispose (object);
}

static void
co_reissues_page_class_init (CoReissuesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_reissues_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-reissues-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, status_page);
}

static void
co_reissues_page_init (CoReissuesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
