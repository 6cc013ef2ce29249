package recapture

import (
	"image"

	"github.com/beian/beian/internal/imaging"
)

func imagingDecode(b []byte) (*image.RGBA, imaging.Info, error) {
	return imaging.Decode(b, imaging.Photo, workSide)
}
