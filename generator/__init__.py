"""noimpunity: the static site generator of the Partnership against Impunity for the Use of Chemical Weapons."""
