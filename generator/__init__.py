"""noimpunity: the site generator of the Partnership against Impunity for Chemical Weapons Use."""
