"""The portal types: one module per partner software, registered in ``harvesters.registry``."""
