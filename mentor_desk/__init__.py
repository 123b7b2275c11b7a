"""mentor_desk: the OCH mentor review desk."""
